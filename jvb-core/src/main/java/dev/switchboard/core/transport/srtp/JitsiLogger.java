package dev.switchboard.core.transport.srtp;

import static org.slf4j.event.Level.DEBUG;
import static org.slf4j.event.Level.ERROR;
import static org.slf4j.event.Level.INFO;
import static org.slf4j.event.Level.TRACE;
import static org.slf4j.event.Level.WARN;

import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import org.jitsi.utils.logging2.Logger;

/**
 * The jitsi-utils logger jitsi-srtp is given: it writes to one SLF4J logger, so jitsi-srtp's messages follow the
 * bridge's logback configuration, and it is its own child. jitsi-utils' own {@code LoggerImpl} makes a child
 * with a context map for every SRTP context (one per SSRC and direction), about 11 KB and 200 objects per
 * participant that live as long as the call; jitsi-srtp's context strings are not needed in our logs, which
 * name the endpoint already.
 *
 * <p>Levels are logback's: the {@code setLevel...} methods and handlers of java.util.logging do nothing here.
 * Stateless apart from the SLF4J logger; thread-safe.
 */
final class JitsiLogger implements Logger {
    private final org.slf4j.Logger log;

    JitsiLogger(org.slf4j.Logger log) {
        this.log = log;
    }

    @Override
    public Logger createChildLogger(String name, Map<String, String> context) {
        return this;
    }

    @Override
    public Logger createChildLogger(String name) {
        return this;
    }

    @Override
    public void setUseParentHandlers(boolean useParentHandlers) {
    }

    @Override
    public void addHandler(Handler handler) {
    }

    @Override
    public void removeHandler(Handler handler) {
    }

    @Override
    public boolean isTraceEnabled() {
        return log.isEnabledForLevel(TRACE);
    }

    @Override
    public void trace(Object message) {
        write(TRACE, message, null);
    }

    @Override
    public void trace(Supplier<String> message) {
        write(TRACE, message, null);
    }

    @Override
    public boolean isDebugEnabled() {
        return log.isEnabledForLevel(DEBUG);
    }

    @Override
    public void debug(Object message) {
        write(DEBUG, message, null);
    }

    @Override
    public void debug(Supplier<String> message) {
        write(DEBUG, message, null);
    }

    @Override
    public boolean isInfoEnabled() {
        return log.isEnabledForLevel(INFO);
    }

    @Override
    public void info(Object message) {
        write(INFO, message, null);
    }

    @Override
    public void info(Supplier<String> message) {
        write(INFO, message, null);
    }

    @Override
    public boolean isWarnEnabled() {
        return log.isEnabledForLevel(WARN);
    }

    @Override
    public void warn(Object message) {
        write(WARN, message, null);
    }

    @Override
    public void warn(Supplier<String> message) {
        write(WARN, message, null);
    }

    @Override
    public void warn(Object message, Throwable thrown) {
        write(WARN, message, thrown);
    }

    @Override
    public void error(Object message) {
        write(ERROR, message, null);
    }

    @Override
    public void error(Supplier<String> message) {
        write(ERROR, message, null);
    }

    @Override
    public void error(Object message, Throwable thrown) {
        write(ERROR, message, thrown);
    }

    /** Builds the message (a {@code Supplier} is asked for it) only when SLF4J has the level on. */
    private void write(org.slf4j.event.Level level, Object message, Throwable thrown) {
        if (log.isEnabledForLevel(level)) {
            Object text = message instanceof Supplier<?> supplier ? supplier.get() : message;
            log.atLevel(level).setCause(thrown).log(String.valueOf(text));
        }
    }

    @Override
    public void setLevelError() {
    }

    @Override
    public void setLevelWarn() {
    }

    @Override
    public void setLevelInfo() {
    }

    @Override
    public void setLevelDebug() {
    }

    @Override
    public void setLevelTrace() {
    }

    @Override
    public void setLevelAll() {
    }

    @Override
    public void setLevelOff() {
    }

    @Override
    public void setLevel(Level level) {
    }

    /** The finest level the SLF4J logger has enabled, in java.util.logging terms. */
    @Override
    public Level getLevel() {
        if (log.isTraceEnabled()) {
            return Level.FINEST;
        }
        if (log.isDebugEnabled()) {
            return Level.FINE;
        }
        if (log.isInfoEnabled()) {
            return Level.INFO;
        }
        if (log.isWarnEnabled()) {
            return Level.WARNING;
        }
        return log.isErrorEnabled() ? Level.SEVERE : Level.OFF;
    }

    @Override
    public void addContext(Map<String, String> context) {
    }

    @Override
    public void addContext(String key, String value) {
    }
}
