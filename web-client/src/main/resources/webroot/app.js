// Switchboard web client: one RTCPeerConnection per participant, the client always offers.
// Protocol and DOM contract: docs/signaling.md.
(() => {
  'use strict';

  const ROOM_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
  const statusEl = document.getElementById('status');
  const tilesEl = document.getElementById('tiles');

  function setStatus(text, state) {
    statusEl.textContent = text;
    statusEl.dataset.state = state;
    if (window.switchboard) {
      window.switchboard.state = state;
    }
  }

  const params = new URLSearchParams(location.search);
  const room = params.get('room');
  if (!room) {
    showJoinForm();
    return;
  }
  const name = (params.get('name') || '').trim().slice(0, 64) || 'Guest';
  if (!ROOM_PATTERN.test(room)) {
    showJoinForm();
    setStatus('Room names use letters, digits, "_", "." and "-" (up to 64 characters).', 'error');
    return;
  }
  start(room, name);

  function showJoinForm() {
    const form = document.getElementById('join-form');
    const roomInput = document.getElementById('room-input');
    const nameInput = document.getElementById('name-input');
    form.hidden = false;
    roomInput.value = params.get('room') || '';
    nameInput.value = params.get('name') || '';
    setStatus('Choose a room and a name, then join.', 'idle');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const r = roomInput.value.trim();
      const n = nameInput.value.trim();
      if (!ROOM_PATTERN.test(r)) {
        setStatus('Room names use letters, digits, "_", "." and "-" (up to 64 characters).', 'error');
        return;
      }
      const query = new URLSearchParams({ room: r });
      if (n) {
        query.set('name', n);
      }
      location.search = query.toString();
    });
  }

  function start(roomName, displayName) {
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    const sb = {
      pc,
      endpointId: null,
      participants: {}, // endpoint id -> { id, name } of every other participant
      room: roomName,
      state: 'connecting',
    };
    window.switchboard = sb;

    const tiles = new Map(); // endpoint id -> { tile, video, tracks: Set<MediaStreamTrack> }
    const trackOwner = new Map(); // receiver track -> endpoint id
    const midOwner = new Map(); // mid of a recvonly transceiver -> endpoint id it receives
    let sources = [];
    let joined = false;
    let negotiating = false; // an offer is waiting for its answer
    let negotiateAgain = false; // something changed while it was
    let mediaConnected = false;
    let leaving = false;
    let notice = '';
    let queue = Promise.resolve();

    document.getElementById('room-label').textContent = `Room ${roomName} · ${displayName}`;
    setStatus('Connecting…', 'connecting');

    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws`);
    ws.onopen = () => send({ type: 'join', room: roomName, name: displayName });
    ws.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        console.warn('Ignoring a message that is not JSON', event.data);
        return;
      }
      // One message at a time: negotiation steps must not interleave.
      queue = queue.then(() => handle(message)).catch((e) => {
        console.error('Handling', message.type, 'failed', e);
        setStatus(`Error: ${e.message || e}`, 'error');
      });
    };
    ws.onclose = () => {
      if (!leaving) {
        setStatus('Signaling connection lost', 'lost');
      }
    };

    pc.onicecandidate = (event) => {
      const c = event.candidate;
      send({
        type: 'candidate',
        candidate: c ? c.candidate : '',
        sdpMid: c ? c.sdpMid : null,
        sdpMLineIndex: c ? c.sdpMLineIndex : null,
      });
    };
    pc.ontrack = (event) => {
      const stream = event.streams[0];
      if (stream) {
        assignTrack(event.track, stream.id);
      }
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected') {
        onMediaConnected();
      } else if (pc.connectionState === 'failed') {
        setStatus('Media connection failed (ICE)', 'failed');
      }
    };

    document.getElementById('leave').hidden = false;
    document.getElementById('leave').addEventListener('click', () => {
      leaving = true;
      send({ type: 'leave' });
      ws.close();
      pc.close();
      location.href = location.pathname;
    });
    window.addEventListener('pagehide', () => {
      leaving = true;
      ws.close();
      pc.close();
    });
    document.getElementById('unmute').addEventListener('click', () => {
      for (const entry of tiles.values()) {
        entry.video.muted = false;
        entry.video.play().catch(() => {});
      }
      document.getElementById('unmute').hidden = true;
    });

    function send(message) {
      if (ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify(message));
      }
    }

    async function handle(message) {
      switch (message.type) {
        case 'joined':
          await onJoined(message);
          break;
        case 'participant-joined':
          addParticipant(message.participant);
          break;
        case 'participant-left':
          await removeParticipant(message.id);
          break;
        case 'sources':
          sources = Array.isArray(message.sources) ? message.sources : [];
          ensureReceivers();
          await negotiate();
          break;
        case 'answer':
          await onAnswer(message.sdp);
          break;
        case 'candidate':
          if (message.candidate) {
            await pc.addIceCandidate({
              candidate: message.candidate,
              sdpMid: message.sdpMid,
              sdpMLineIndex: message.sdpMLineIndex,
            }).catch((e) => console.warn('Bad bridge candidate', e));
          }
          break;
        case 'media-state':
          if (message.state === 'connected') {
            onMediaConnected();
          } else if (message.state === 'failed') {
            mediaConnected = false;
            setStatus(`Media connection failed (ICE)${message.reason ? `: ${message.reason}` : ''}`, 'failed');
          }
          break;
        case 'error':
          await onServerError(message);
          break;
        default:
          console.warn('Unknown message', message);
      }
    }

    async function onJoined(message) {
      joined = true;
      sb.endpointId = message.endpointId;
      for (const p of message.participants || []) {
        addParticipant(p);
      }
      setStatus(`Joined room ${roomName}. Starting camera and microphone…`, 'joined');
      const stream = await getLocalMedia();
      if (stream) {
        const localTile = document.getElementById('local-tile');
        const localVideo = localTile.querySelector('video[data-local]');
        localVideo.muted = true;
        localVideo.srcObject = stream;
        localTile.hidden = false;
        for (const track of stream.getTracks()) {
          pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
        }
      }
      if (!mediaConnected) {
        setStatus(`Joined room ${roomName}. Connecting media…${notice}`, 'joined');
      }
      await negotiate();
    }

    async function getLocalMedia() {
      const attempts = [{ audio: true, video: true }, { audio: true }, { video: true }];
      for (const constraints of attempts) {
        try {
          const stream = await navigator.mediaDevices.getUserMedia(constraints);
          if (!constraints.video) {
            notice = ' (no camera)';
          } else if (!constraints.audio) {
            notice = ' (no microphone)';
          }
          return stream;
        } catch (e) {
          console.warn('getUserMedia failed for', constraints, e);
        }
      }
      notice = ' (camera and microphone unavailable: receiving only)';
      return null;
    }

    function onMediaConnected() {
      if (leaving) {
        return;
      }
      mediaConnected = true;
      setStatus(`Connected to room ${roomName}${notice}`, 'connected');
    }

    // ---- negotiation: the client always offers, one offer in flight at a time ----

    async function negotiate() {
      if (!joined || ws.readyState !== WebSocket.OPEN || pc.signalingState === 'closed') {
        return;
      }
      if (negotiating) {
        negotiateAgain = true;
        return;
      }
      if (pc.getTransceivers().length === 0) {
        return; // nothing to send or receive yet
      }
      negotiating = true;
      negotiateAgain = false;
      try {
        const offer = await pc.createOffer();
        await pc.setLocalDescription(offer);
        send({ type: 'offer', sdp: pc.localDescription.sdp });
      } catch (e) {
        negotiating = false;
        throw e;
      }
    }

    async function onAnswer(sdp) {
      if (pc.signalingState !== 'have-local-offer') {
        console.warn('Ignoring an answer in state', pc.signalingState);
        return;
      }
      await pc.setRemoteDescription({ type: 'answer', sdp });
      negotiating = false;
      reconcile(sdp);
      if (negotiateAgain) {
        await negotiate();
      }
    }

    async function onServerError(message) {
      console.warn('Server error', message.code, message.message);
      setStatus(`Error from server (${message.code}): ${message.message}`, 'error');
      const aboutTheOffer = ['bad-sdp', 'ice-restart-unsupported', 'internal'].includes(message.code);
      if (aboutTheOffer && negotiating && pc.signalingState === 'have-local-offer') {
        // No answer will come for this offer: return to the last negotiated state.
        await pc.setLocalDescription({ type: 'rollback' });
        negotiating = false;
        negotiateAgain = false;
      }
    }

    /** At least as many live recvonly transceivers per kind as there are remote sources of that kind. */
    function ensureReceivers() {
      for (const kind of ['audio', 'video']) {
        const wanted = sources.filter((s) => s.kind === kind).length;
        const have = pc.getTransceivers()
          .filter((t) => t.direction === 'recvonly' && t.receiver.track.kind === kind).length;
        for (let i = have; i < wanted; i++) {
          pc.addTransceiver(kind, { direction: 'recvonly' });
        }
      }
    }

    /**
     * Maps every receiving transceiver to the participant the answer says it carries (a=msid stream id =
     * endpoint id). ontrack does the same for new receivers; this also covers re-assigned and inactive ones.
     */
    function reconcile(sdp) {
      const sections = new Map(parseAnswer(sdp).map((s) => [s.mid, s]));
      for (const t of pc.getTransceivers()) {
        if (!t.mid || t.direction !== 'recvonly') {
          continue;
        }
        const s = sections.get(t.mid);
        const owner = s && !s.rejected && s.direction === 'sendonly' ? s.streamId : null;
        if (owner) {
          midOwner.set(t.mid, owner);
        } else {
          midOwner.delete(t.mid);
        }
        assignTrack(t.receiver.track, owner);
      }
    }

    function parseAnswer(sdp) {
      return sdp.split(/\r?\n(?=m=)/).slice(1).map((section) => {
        const lines = section.split(/\r?\n/);
        const value = (prefix) => {
          const line = lines.find((l) => l.startsWith(prefix));
          return line ? line.slice(prefix.length) : null;
        };
        const direction = ['sendonly', 'recvonly', 'sendrecv', 'inactive']
          .find((d) => lines.includes(`a=${d}`)) || 'sendrecv';
        const msid = value('a=msid:');
        return {
          mid: value('a=mid:'),
          direction,
          streamId: msid ? msid.split(' ')[0] : null,
          rejected: lines[0].split(' ')[1] === '0',
        };
      });
    }

    // ---- participants and tiles ----

    function addParticipant(p) {
      if (!p || !p.id || p.id === sb.endpointId) {
        return;
      }
      sb.participants[p.id] = { id: p.id, name: p.name };
      ensureTile(p.id);
    }

    async function removeParticipant(id) {
      delete sb.participants[id];
      const entry = tiles.get(id);
      if (entry) {
        for (const track of entry.tracks) {
          trackOwner.delete(track);
        }
        entry.video.srcObject = null;
        entry.tile.remove();
        tiles.delete(id);
      }
      let stopped = false;
      for (const t of pc.getTransceivers()) {
        if (t.mid && midOwner.get(t.mid) === id && t.direction === 'recvonly') {
          t.stop();
          midOwner.delete(t.mid);
          stopped = true;
        }
      }
      if (stopped) {
        await negotiate();
      }
    }

    function ensureTile(id) {
      let entry = tiles.get(id);
      if (entry) {
        return entry;
      }
      const tile = document.createElement('div');
      tile.className = 'tile';
      tile.dataset.endpointId = id;
      const video = document.createElement('video');
      video.setAttribute('data-remote', '');
      video.dataset.endpointId = id;
      video.autoplay = true;
      video.playsInline = true;
      video.setAttribute('autoplay', '');
      video.setAttribute('playsinline', '');
      const label = document.createElement('div');
      label.className = 'name';
      label.textContent = (sb.participants[id] && sb.participants[id].name) || id;
      tile.append(video, label);
      tilesEl.append(tile);
      entry = { tile, video, tracks: new Set() };
      tiles.set(id, entry);
      return entry;
    }

    function assignTrack(track, owner) {
      const previous = trackOwner.get(track);
      if (previous === owner) {
        return;
      }
      if (previous) {
        trackOwner.delete(track);
        const old = tiles.get(previous);
        if (old) {
          old.tracks.delete(track);
          showTracks(old);
        }
      }
      if (owner && sb.participants[owner]) {
        const entry = ensureTile(owner);
        entry.tracks.add(track);
        trackOwner.set(track, owner);
        showTracks(entry);
      }
    }

    function showTracks(entry) {
      const tracks = [...entry.tracks];
      entry.video.srcObject = tracks.length ? new MediaStream(tracks) : null;
      if (tracks.length) {
        entry.video.play().catch((e) => {
          if (e.name === 'NotAllowedError') {
            // Autoplay with sound needs a user gesture: play muted and offer a button.
            entry.video.muted = true;
            entry.video.play().catch(() => {});
            document.getElementById('unmute').hidden = false;
          }
        });
      }
    }
  }
})();
