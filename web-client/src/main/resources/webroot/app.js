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
    // ?relay=1: only TURN relay candidates (for tests, and for users behind firewalls that drop direct UDP).
    const iceTransportPolicy = params.get('relay') === '1' ? 'relay' : 'all';
    const sb = {
      pc: null, // the current RTCPeerConnection (a new one after every re-join)
      endpointId: null,
      participants: {}, // endpoint id -> { id, name } of every other participant
      room: roomName,
      state: 'connecting',
      iceTransportPolicy,
      reconnects: 0, // how many times media was re-joined after a failure
      resumes: 0, // how many times a new WebSocket resumed the session (media untouched)
      // Test hook: closes the signaling WebSocket as a network loss would; with reconnect false the client
      // stays without one (the server removes the participant when its grace period ends).
      dropSignaling: (reconnect = true) => {
        signalingSuspended = !reconnect;
        if (ws) {
          ws.close(4001, 'test: connection lost'); // 1000 would tell the server we are leaving
        }
      },
      iceProblem: null, // why ICE cannot work (e.g. TURN refused the credentials); no automatic retry then
      dominantSpeaker: null, // endpoint id of the room's dominant speaker, from the bridge
      forwardedVideo: null, // endpoint ids whose video the bridge sends us (last-N), null = everyone's
      lastN: params.has('lastN') ? Number.parseInt(params.get('lastN'), 10) : null,
      mainTile: null, // endpoint id of the large tile: the dominant speaker, else the first remote
      videoConstraints: null, // the last video-constraints message sent
      videoCodecPreference: null, // with ?videoCodec: the codec put first ('video/h264 <fmtp>'), or why not
      // Overrides the height asked for one remote's video (null: back to automatic); tests and a future UI use it.
      setVideoConstraint: (endpointId, maxHeight) => enqueue(() => {
        if (maxHeight === null || maxHeight === undefined) {
          delete constraintOverrides[endpointId];
        } else {
          constraintOverrides[endpointId] = maxHeight;
        }
        sendVideoConstraints();
      }),
      reconnect: (reason) => enqueue(() => {
        sb.iceProblem = null;
        restartMedia(reason || 'requested');
      }),
    };
    window.switchboard = sb;

    const DISCONNECTED_GRACE_MS = 5000; // 'disconnected' this long counts as a failure
    const RELAY_GATHER_TIMEOUT_MS = 10000; // relay mode: no relay candidate after this long is a failure
    const BACKOFF_MS = [0, 1000, 2000, 4000, 8000, 15000, 30000];
    const RESUME_BACKOFF_MS = [0, 250, 500, 1000, 2000]; // WebSocket reconnects within the grace period
    // Camera video goes out as three simulcast layers (RFC 8853 rids); the bridge forwards one to each receiver.
    // ?simulcast=0 sends it as one stream instead (e.g. for a weak machine, or to test single-stream forwarding).
    const SIMULCAST_ENCODINGS = [
      { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150000 },
      { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500000 },
      { rid: 'f', maxBitrate: 1500000 },
    ];
    // ?videoCodec=h264 (or vp8, vp9): the camera's transceiver offers that codec first
    // (RTCRtpTransceiver.setCodecPreferences), so a bridge that follows the offer's order (its default) has it
    // sent, simulcast included for VP8 and H.264. Receiving sections keep every codec: a mixed room still works.
    const PREFERRED_VIDEO_CODEC = (params.get('videoCodec') || '').toLowerCase();
    const MAIN_TILE_HEIGHT = 720; // video height asked for the main tile
    const THUMBNAIL_HEIGHT = 180; // and for the others
    const constraintOverrides = {}; // endpoint id -> height, from sb.setVideoConstraint

    const tiles = new Map(); // endpoint id -> { tile, video, tracks: Set<MediaStreamTrack> }
    const trackOwner = new Map(); // receiver track -> endpoint id
    const midOwner = new Map(); // mid of a recvonly transceiver -> endpoint id it receives
    let ws = null;
    let pc = null;
    let sources = [];
    let joined = false; // the server's `joined` for the current join has arrived
    let awaitingJoined = false; // a join was sent: messages of the previous session are ignored until `joined`
    let negotiating = false; // an offer is waiting for its answer
    let negotiateAgain = false; // something changed while it was
    let mediaConnected = false;
    let leaving = false;
    let reconnecting = false; // media or signaling is being re-established
    let failures = 0; // consecutive reconnects that have not reached 'connected'
    let retryTimer = null;
    let disconnectedTimer = null;
    let relayTimer = null;
    let localStream; // undefined: not asked yet; null: no camera/microphone
    let notice = '';
    let queue = Promise.resolve();
    let ice = null; // per peer connection: { relayCandidates, errors: [], gatheringDone }
    let resumeToken = null; // from `joined`: lets a new WebSocket take over this session
    let resumeGraceMs = 0; // how long the server keeps the session after the WebSocket closes
    let resuming = null; // { since, attempt } while reconnecting the WebSocket to resume the session
    let signalingSuspended = false; // test hook: no WebSocket reconnect

    document.getElementById('room-label').textContent = `Room ${roomName} · ${displayName}`;
    setStatus('Connecting…', 'connecting');
    connect();

    function enqueue(task) {
      // One step at a time: negotiation steps and re-joins must not interleave.
      queue = queue.then(task).catch((e) => {
        console.error('Client step failed', e);
        setStatus(`Error: ${e.message || e}`, 'error');
      });
      return queue;
    }

    // ---- signaling connection ----

    function connect() {
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      const socket = new WebSocket(`${scheme}://${location.host}/ws`);
      ws = socket;
      socket.onopen = () => {
        if (socket !== ws) {
          return;
        }
        if (resuming && resumeToken) {
          send({ type: 'resume', token: resumeToken });
        } else {
          sendJoin();
        }
      };
      socket.onmessage = (event) => {
        if (socket !== ws) {
          return;
        }
        let message;
        try {
          message = JSON.parse(event.data);
        } catch (e) {
          console.warn('Ignoring a message that is not JSON', event.data);
          return;
        }
        enqueue(() => handle(message));
      };
      socket.onclose = () => {
        if (socket !== ws || leaving) {
          return;
        }
        ws = null;
        enqueue(() => {
          if (signalingSuspended) {
            setStatus('Signaling connection closed (test hook).', 'lost');
            return;
          }
          if (tryResume()) {
            return;
          }
          closeMedia();
          joined = false;
          awaitingJoined = false;
          reconnecting = true;
          failures++;
          setStatus('Signaling connection lost. Reconnecting…', 'lost');
          scheduleRetry();
        });
      };
    }

    /**
     * The WebSocket closed while in a room: the server keeps the participant (and its media) for its grace
     * period, so open a new socket and resume, keeping the peer connection. False once that time is over.
     */
    function tryResume() {
      if (!resuming && joined && resumeToken) {
        resuming = { since: Date.now(), attempt: 0 };
      }
      if (!resuming || Date.now() - resuming.since >= resumeGraceMs) {
        resuming = null;
        return false;
      }
      setStatus('Signaling connection lost. Resuming…', 'lost');
      const delay = RESUME_BACKOFF_MS[Math.min(resuming.attempt++, RESUME_BACKOFF_MS.length - 1)];
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (!leaving && !ws && resuming) {
          connect();
        }
      }, delay);
      return true;
    }

    /** `resumed`: the new socket serves the session; the messages missed meanwhile came just before. */
    async function onResumed(message) {
      resuming = null;
      sb.resumes++;
      const present = new Set((message.participants || []).map((p) => p.id));
      for (const id of Object.keys(sb.participants)) {
        if (!present.has(id)) {
          await removeParticipant(id);
        }
      }
      for (const p of message.participants || []) {
        addParticipant(p);
      }
      if (negotiating && pc && pc.signalingState === 'have-local-offer' && !message.offerPending) {
        // The offer or its answer was lost with the old socket: offer again.
        await pc.setLocalDescription({ type: 'rollback' });
        negotiating = false;
        negotiateAgain = true;
      }
      if (mediaConnected) {
        onMediaConnected();
      } else {
        setStatus(`Joined room ${roomName}. Connecting media…${notice}`, 'joined');
      }
      if (negotiateAgain && !negotiating) {
        await negotiate();
      }
    }

    /** `resume` was refused (the grace period ended): start over with a fresh join on this socket. */
    function onResumeFailed(message) {
      console.warn('Resume refused, joining again:', message.message);
      closeMedia();
      joined = false;
      reconnecting = true;
      failures++;
      setStatus('Signaling connection restored; the session had expired. Joining again…', 'lost');
      sendJoin();
    }

    function sendJoin() {
      awaitingJoined = true;
      send({ type: 'join', room: roomName, name: displayName });
    }

    function send(message) {
      if (ws && ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify(message));
      }
    }

    // ---- failures, re-joins and network changes ----

    /**
     * The bridge has no in-place ICE restart: drop this peer connection, leave the room and join it again, which
     * gives a new endpoint, fresh TURN credentials and a negotiation from scratch.
     */
    function restartMedia(reason, severe) {
      if (leaving || sb.iceProblem) {
        return;
      }
      console.warn('Re-joining to restore media:', reason);
      reconnecting = true;
      failures++;
      sb.reconnects++;
      closeMedia();
      if (joined || awaitingJoined) {
        send({ type: 'leave' });
      }
      joined = false;
      awaitingJoined = false;
      const delay = scheduleRetry();
      const when = delay ? ` Retrying in ${delay / 1000} s…` : ' Retrying…';
      if (severe) {
        setStatus(`Media connection failed (ICE): ${reason}.${when}`, 'failed');
      } else if (failures > 3) {
        setStatus(`Media connection failed (ICE) ${failures - 1} times (${reason}).${when}`, 'failed');
      } else {
        setStatus(`Reconnecting media… (${reason})`, 'reconnecting');
      }
    }

    /** Re-joins (or reconnects the WebSocket) after the back-off for the failures so far; returns the delay. */
    function scheduleRetry() {
      clearTimeout(retryTimer);
      const delay = BACKOFF_MS[Math.min(Math.max(failures - 1, 0), BACKOFF_MS.length - 1)];
      retryTimer = setTimeout(() => enqueue(retryNow), delay);
      return delay;
    }

    function retryNow() {
      retryTimer = null;
      if (leaving || joined || awaitingJoined) {
        return;
      }
      if (ws && ws.readyState === WebSocket.OPEN) {
        sendJoin();
      } else if (!ws || ws.readyState !== WebSocket.CONNECTING) {
        connect();
      }
    }

    function onNetworkChange(why) {
      if (leaving) {
        return;
      }
      console.info('Network change:', why);
      if (resuming && !ws) {
        clearTimeout(retryTimer); // waiting to resume: the network may be back, go now
        retryTimer = null;
        connect();
        return;
      }
      if (!ws || ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) {
        clearTimeout(retryTimer);
        failures = 0;
        retryNow();
        return;
      }
      if (sb.iceProblem && joined) {
        sb.iceProblem = null; // a new network may reach the TURN server: try again
        failures = 0;
        restartMedia(why);
        return;
      }
      if (retryTimer && !joined && !awaitingJoined) {
        clearTimeout(retryTimer); // waiting for a retry: the network may be back, go now
        retryNow();
        return;
      }
      if (pc && (pc.iceConnectionState === 'failed' || pc.iceConnectionState === 'disconnected')) {
        restartMedia(why);
      } else if (mediaConnected) {
        onMediaConnected(); // the media survived: replace the 'offline' note
      }
    }

    window.addEventListener('online', () => enqueue(() => onNetworkChange('back online')));
    window.addEventListener('offline', () => {
      if (!leaving) {
        setStatus('The network is offline. Waiting for it to come back…', 'reconnecting');
      }
    });
    if (navigator.connection && navigator.connection.addEventListener) {
      navigator.connection.addEventListener('change', () => enqueue(() => onNetworkChange('network changed')));
    }

    // ---- peer connection ----

    function createPeerConnection(iceServers) {
      let created;
      try {
        created = new RTCPeerConnection({
          iceServers,
          iceTransportPolicy,
          bundlePolicy: 'max-bundle',
          rtcpMuxPolicy: 'require',
        });
      } catch (e) {
        // e.g. a malformed TURN URL: say so rather than crash
        console.error('RTCPeerConnection rejected the configuration', iceServers, e);
        failIce(`Cannot use the STUN/TURN servers from the server: ${e.message || e}`);
        return null;
      }
      const state = { relayCandidates: 0, errors: [], gatheringDone: false };
      ice = state;
      sb.pc = created;
      created.onicecandidate = (event) => {
        const c = event.candidate;
        if (c && (c.type === 'relay' || / typ relay /.test(c.candidate))) {
          state.relayCandidates++;
        }
        send({
          type: 'candidate',
          candidate: c ? c.candidate : '',
          sdpMid: c ? c.sdpMid : null,
          sdpMLineIndex: c ? c.sdpMLineIndex : null,
        });
        if (!c) {
          state.gatheringDone = true;
          checkRelayCandidates(created, true);
        }
      };
      // pc.restartIce() (ours, or a test's) asks for a new offer with new ICE credentials; the bridge answers
      // with new ones of its own and media continues.
      created.onnegotiationneeded = () => enqueue(() => (created === pc ? negotiate() : undefined));
      created.onicecandidateerror = (event) => {
        const error = { url: event.url, code: event.errorCode, text: event.errorText };
        state.errors.push(error);
        console.warn('ICE candidate error', error);
      };
      created.ontrack = (event) => {
        const stream = event.streams[0];
        if (stream) {
          assignTrack(event.track, stream.id);
        }
      };
      created.onconnectionstatechange = () => {
        if (created === pc && created.connectionState === 'connected') {
          onMediaConnected();
        }
      };
      created.oniceconnectionstatechange = () => {
        if (created !== pc) {
          return;
        }
        const s = created.iceConnectionState;
        if (s === 'failed') {
          enqueue(() => onIceFailed(created, 'ICE failed'));
        } else if (s === 'disconnected') {
          clearTimeout(disconnectedTimer);
          disconnectedTimer = setTimeout(() => {
            if (created === pc && created.iceConnectionState === 'disconnected') {
              enqueue(() => onIceFailed(created, `no media path for ${DISCONNECTED_GRACE_MS / 1000} s`));
            }
          }, DISCONNECTED_GRACE_MS);
        } else {
          clearTimeout(disconnectedTimer);
        }
      };
      created.onicegatheringstatechange = () => {
        // Relay mode: gathering starts with the first offer (after the camera prompt); give it a deadline.
        if (created === pc && iceTransportPolicy === 'relay' && created.iceGatheringState === 'gathering'
            && relayTimer === null) {
          relayTimer = setTimeout(() => checkRelayCandidates(created, false), RELAY_GATHER_TIMEOUT_MS);
        }
      };
      if (iceTransportPolicy === 'relay' && !iceServers.some((s) => s.username !== undefined)) {
        failIce('Relay-only mode (?relay=1) needs a TURN server, but this server offers none');
      }
      return created;
    }

    /**
     * Relay mode: no relay candidate when gathering ends (or after a while) means ICE cannot succeed. Refused
     * credentials will be refused again: say so and stop. An unreachable TURN server may come back: retry.
     */
    function checkRelayCandidates(which, final) {
      if (which !== pc || iceTransportPolicy !== 'relay' || ice.relayCandidates > 0 || sb.iceProblem) {
        return;
      }
      const describe = (e) => `${e.code}${e.text ? ` ${e.text}` : ''} from ${e.url}`;
      const rejected = ice.errors.find((e) => e.code === 401 || e.code === 403 || e.code === 438);
      if (rejected) {
        failIce(`TURN server rejected the credentials (${describe(rejected)}): either the TURN secret of this `
          + 'server differs from the TURN server\'s, or the credentials have expired (the clocks of the two '
          + 'servers disagree, or SWITCHBOARD_TURN_TTL is too short)');
        return;
      }
      const first = ice.errors[0];
      const why = first ? `no TURN relay candidate (${describe(first)})`
        : final ? 'no TURN relay candidate: the TURN server could not be reached'
          : `no TURN relay candidate after ${RELAY_GATHER_TIMEOUT_MS / 1000} s: the TURN server does not answer`;
      enqueue(() => restartMedia(why, true));
    }

    /** A failure that re-joining does not fix: say so and stop retrying (a network change tries again). */
    function failIce(why) {
      sb.iceProblem = why;
      reconnecting = false;
      setStatus(`Media connection failed (ICE): ${why}`, 'failed');
    }

    function onIceFailed(which, reason) {
      if (which !== pc || leaving) {
        return;
      }
      mediaConnected = false;
      if (sb.iceProblem) {
        return; // already explained; retrying cannot help
      }
      const rejected = ice ? ice.errors.find((e) => e.code === 401) : null;
      restartMedia(rejected ? `${reason}; TURN server rejected the credentials` : reason);
    }

    /** Closes the peer connection and forgets every remote participant and negotiation state. */
    function closeMedia() {
      clearTimeout(disconnectedTimer);
      clearTimeout(relayTimer);
      relayTimer = null;
      if (pc) {
        const old = pc;
        pc = null;
        sb.pc = null;
        for (const handler of ['onicecandidate', 'onicecandidateerror', 'ontrack', 'onconnectionstatechange',
          'oniceconnectionstatechange', 'onicegatheringstatechange']) {
          old[handler] = null;
        }
        old.close();
      }
      ice = null;
      resumeToken = null; // the session is abandoned (a leave or a re-join follows)
      resuming = null;
      mediaConnected = false;
      negotiating = false;
      negotiateAgain = false;
      sources = [];
      for (const id of [...tiles.keys()]) {
        removeTile(id);
      }
      trackOwner.clear();
      midOwner.clear();
      sb.participants = {};
      sb.endpointId = null;
    }

    document.getElementById('leave').hidden = false;
    document.getElementById('leave').addEventListener('click', () => {
      leaving = true;
      clearTimeout(retryTimer);
      send({ type: 'leave' });
      if (ws) {
        ws.close();
      }
      closeMedia();
      location.href = location.pathname;
    });
    window.addEventListener('pagehide', () => {
      leaving = true;
      clearTimeout(retryTimer);
      send({ type: 'leave' }); // without it the server would wait for a reconnect
      if (ws) {
        ws.close();
      }
      closeMedia();
    });
    document.getElementById('unmute').addEventListener('click', () => {
      for (const entry of tiles.values()) {
        entry.video.muted = false;
        entry.video.play().catch(() => {});
      }
      document.getElementById('unmute').hidden = true;
    });

    async function handle(message) {
      if (resuming && message.type === 'error' && message.code === 'resume-failed') {
        onResumeFailed(message);
        return;
      }
      if (awaitingJoined && message.type !== 'joined') {
        // Left over from before the last (re-)join: the server answered it for the old endpoint.
        if (message.type === 'error') {
          console.warn('Server error while re-joining', message.code, message.message);
          if (message.code !== 'not-joined') {
            setStatus(`Error from server (${message.code}): ${message.message}`, 'error');
          }
        }
        return;
      }
      if (!joined && message.type !== 'joined' && message.type !== 'error') {
        return; // between a leave and the next join
      }
      switch (message.type) {
        case 'joined':
          await onJoined(message);
          break;
        case 'resumed':
          await onResumed(message);
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
          if (message.candidate && pc) {
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
            if (sb.iceProblem) {
              break;
            }
            restartMedia(`the bridge reports: ${message.reason || 'media failed'}`);
          }
          break;
        case 'dominant-speaker':
          sb.dominantSpeaker = message.endpointId || null;
          markTiles();
          break;
        case 'forwarded-video':
          sb.forwardedVideo = Array.isArray(message.endpointIds) ? message.endpointIds : null;
          markTiles();
          break;
        case 'error':
          await onServerError(message);
          break;
        default:
          console.warn('Unknown message', message);
      }
    }

    async function onJoined(message) {
      awaitingJoined = false;
      joined = true;
      sb.endpointId = message.endpointId;
      resumeToken = typeof message.resumeToken === 'string' ? message.resumeToken : null;
      resumeGraceMs = Number.isFinite(message.reconnectGraceMs) ? message.reconnectGraceMs : 0;
      sb.videoConstraints = null; // a new endpoint: say it again
      for (const p of message.participants || []) {
        addParticipant(p);
      }
      if (Number.isInteger(sb.lastN) && sb.lastN >= -1) {
        send({ type: 'set-last-n', n: sb.lastN });
      }
      const iceServers = Array.isArray(message.iceServers) ? message.iceServers : [];
      pc = createPeerConnection(iceServers);
      if (!pc) {
        return;
      }
      if (localStream === undefined) {
        setStatus(`Joined room ${roomName}. Starting camera and microphone…`, 'joined');
        localStream = await getLocalMedia();
        if (localStream) {
          const localTile = document.getElementById('local-tile');
          const localVideo = localTile.querySelector('video[data-local]');
          localVideo.muted = true;
          localVideo.srcObject = localStream;
          localTile.hidden = false;
          setUpMuteButtons();
        }
      }
      if (localStream) {
        for (const track of localStream.getTracks()) {
          if (track.readyState === 'live') {
            const init = { direction: 'sendonly', streams: [localStream] };
            if (track.kind === 'video' && params.get('simulcast') !== '0') {
              init.sendEncodings = SIMULCAST_ENCODINGS.map((e) => ({ ...e }));
            }
            const transceiver = pc.addTransceiver(track, init);
            if (track.kind === 'video') {
              preferVideoCodec(transceiver);
            }
          }
        }
      }
      if (!mediaConnected && !reconnecting && !sb.iceProblem) {
        setStatus(`Joined room ${roomName}. Connecting media…${notice}`, 'joined');
      } else if (reconnecting && statusEl.dataset.state === 'lost') {
        setStatus('Signaling connection restored. Reconnecting media…', 'reconnecting');
      }
      await negotiate();
    }
    // Puts the codec named by ?videoCodec first in the camera transceiver's preferences (for H.264: packetization
    // mode 1, constrained baseline 42e01f before other H.264 variants), keeping every other codec after it.
    // Only codecs this browser can both send and receive are moved. sb.videoCodecPreference tells what was done.
    function preferVideoCodec(transceiver) {
      if (!PREFERRED_VIDEO_CODEC) {
        return;
      }
      if (typeof transceiver.setCodecPreferences !== 'function' || !window.RTCRtpReceiver
          || !RTCRtpReceiver.getCapabilities || !RTCRtpSender.getCapabilities) {
        sb.videoCodecPreference = 'unsupported';
        return;
      }
      const mime = `video/${PREFERRED_VIDEO_CODEC}`;
      const key = (c) => `${c.mimeType.toLowerCase()} ${c.sdpFmtpLine || ''}`;
      const sendable = new Set(RTCRtpSender.getCapabilities('video').codecs.map(key));
      const codecs = RTCRtpReceiver.getCapabilities('video').codecs;
      const rank = (c) => {
        if (c.mimeType.toLowerCase() !== mime || !sendable.has(key(c))) {
          return 3;
        }
        const fmtp = c.sdpFmtpLine || '';
        if (mime !== 'video/h264') {
          return 0;
        }
        if (!/packetization-mode=1/.test(fmtp)) {
          return 2;
        }
        return /profile-level-id=42e01f/i.test(fmtp) ? 0 : 1;
      };
      const ordered = codecs.map((c, i) => ({ c, i, r: rank(c) }))
        .sort((a, b) => a.r - b.r || a.i - b.i).map((e) => e.c);
      if (ordered.length === 0 || rank(ordered[0]) === 3) {
        sb.videoCodecPreference = `not available: ${PREFERRED_VIDEO_CODEC}`;
        return;
      }
      try {
        transceiver.setCodecPreferences(ordered);
        sb.videoCodecPreference = key(ordered[0]);
      } catch (e) {
        sb.videoCodecPreference = `failed: ${e && e.message}`;
      }
    }

    async function getLocalMedia() {
      // 720p by default (simulcast layers 180/360/720); ?camera=<lines> asks for less, for weak machines
      const asked = Number.parseInt(params.get('camera'), 10);
      const lines = Number.isInteger(asked) && asked >= 90 && asked <= 2160 ? asked : 720;
      const video = { width: { ideal: Math.round((lines * 16) / 9) }, height: { ideal: lines } };
      const attempts = [{ audio: true, video }, { audio: true }, { video }];
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
      if (leaving || !pc) {
        return;
      }
      mediaConnected = true;
      reconnecting = false;
      failures = 0;
      sb.iceProblem = null;
      clearTimeout(relayTimer);
      setStatus(`Connected to room ${roomName}${notice}`, 'connected');
    }

    // ---- negotiation: the client always offers, one offer in flight at a time ----

    async function negotiate() {
      if (!joined || !pc || pc.signalingState === 'closed') {
        return;
      }
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        negotiateAgain = true; // after a resume
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
      if (!pc || pc.signalingState !== 'have-local-offer') {
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
      if (aboutTheOffer && negotiating && pc && pc.signalingState === 'have-local-offer') {
        // No answer will come for this offer: return to the last negotiated state.
        await pc.setLocalDescription({ type: 'rollback' });
        negotiating = false;
        negotiateAgain = false;
      }
    }

    /** At least as many live recvonly transceivers per kind as there are remote sources of that kind. */
    function ensureReceivers() {
      if (!pc) {
        return;
      }
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
      if (!pc) {
        return;
      }
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

    function removeTile(id) {
      const entry = tiles.get(id);
      if (entry) {
        for (const track of entry.tracks) {
          trackOwner.delete(track);
        }
        entry.video.srcObject = null;
        entry.tile.remove();
        tiles.delete(id);
        markTiles();
      }
    }

    async function removeParticipant(id) {
      delete sb.participants[id];
      removeTile(id);
      if (!pc) {
        return;
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
      markTiles();
      return entry;
    }

    /**
     * Highlights the dominant speaker's tile, marks tiles whose video the bridge pauses (last-N), makes the
     * dominant speaker's tile (else the first) the large main tile, and tells the bridge which video heights it
     * wants.
     */
    function markTiles() {
      const ids = [...tiles.keys()];
      sb.mainTile = tiles.has(sb.dominantSpeaker) ? sb.dominantSpeaker : (ids[0] || null);
      for (const [id, entry] of tiles) {
        entry.tile.toggleAttribute('data-dominant', id === sb.dominantSpeaker);
        entry.tile.toggleAttribute('data-main', id === sb.mainTile);
        const paused = Array.isArray(sb.forwardedVideo) && !sb.forwardedVideo.includes(id);
        entry.tile.toggleAttribute('data-video-paused', paused);
      }
      sendVideoConstraints();
    }

    /** video-constraints: a high layer for the main tile, thumbnails for the rest; sent when it changes. */
    function sendVideoConstraints() {
      if (!joined) {
        return;
      }
      const constraints = {};
      for (const id of tiles.keys()) {
        const auto = id === sb.mainTile ? MAIN_TILE_HEIGHT : THUMBNAIL_HEIGHT;
        const maxHeight = constraintOverrides[id] !== undefined ? constraintOverrides[id] : auto;
        if (maxHeight !== THUMBNAIL_HEIGHT) {
          constraints[id] = { maxHeight };
        }
      }
      const message = { type: 'video-constraints', defaultMaxHeight: THUMBNAIL_HEIGHT, constraints };
      const text = JSON.stringify(message);
      if (text !== JSON.stringify(sb.videoConstraints)) {
        sb.videoConstraints = message;
        send(message);
      }
    }

    function setUpMuteButtons() {
      const buttons = [
        [document.getElementById('toggle-audio'), () => localStream.getAudioTracks(), 'Mute', 'Unmute'],
        [document.getElementById('toggle-video'), () => localStream.getVideoTracks(), 'Stop video', 'Start video'],
      ];
      for (const [button, tracks, onLabel, offLabel] of buttons) {
        if (!button || tracks().length === 0) {
          continue;
        }
        button.hidden = false;
        button.setAttribute('aria-pressed', 'false');
        button.onclick = () => {
          const enabled = !tracks()[0].enabled;
          // A disabled track keeps its sender: audio turns to silence (level 127), video to black frames.
          tracks().forEach((t) => { t.enabled = enabled; });
          button.textContent = enabled ? onLabel : offLabel;
          button.setAttribute('aria-pressed', String(!enabled));
        };
      }
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
