package dev.switchboard.core.transport.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.jitsi.utils.logging2.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JitsiLoggerTest {
    private final org.slf4j.Logger slf4j = LoggerFactory.getLogger("dev.switchboard.test.jitsi");
    private final Logger logger = new JitsiLogger(slf4j);

    @Test
    void isItsOwnChildSoContextsMakeNoObjects() {
        assertSame(logger, logger.createChildLogger("org.jitsi.srtp.SrtpCryptoContext"));
        assertSame(logger, logger.createChildLogger("x", Map.of("ssrc", "1234")));
    }

    @Test
    void asksForMessagesOnlyAtLevelsSlf4jHasOn() {
        AtomicBoolean asked = new AtomicBoolean();
        if (!slf4j.isTraceEnabled()) {
            logger.trace(() -> {
                asked.set(true);
                return "replay window";
            });
            assertFalse(asked.get(), "a disabled level must not build its message");
        }
        assertEquals(slf4j.isTraceEnabled(), logger.isTraceEnabled());
        assertEquals(slf4j.isDebugEnabled(), logger.isDebugEnabled());
        Level expected = slf4j.isTraceEnabled() ? Level.FINEST : slf4j.isDebugEnabled() ? Level.FINE
                : slf4j.isInfoEnabled() ? Level.INFO : slf4j.isWarnEnabled() ? Level.WARNING : Level.SEVERE;
        assertEquals(expected, logger.getLevel());
    }
}
