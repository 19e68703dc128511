package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.switchboard.core.client.ClientSubscription;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Settings of a {@link SwitchboardNetworkClient}, immutable. Build them with {@link Builder}
 * (obtained from {@link SwitchboardNetworkClient#builder()}).
 *
 * @param addresses         servers to connect to (a pool when more than one)
 * @param strategy          how the pool picks the server of each connection attempt
 * @param token             credentials sent with {@code connect}, or null
 * @param username          credentials sent with {@code connect}, or null
 * @param password          credentials sent with {@code connect}, or null
 * @param requestTimeout    how long a request (queued while disconnected included) may take
 * @param connectTimeout    how long {@link SwitchboardNetworkClient#connect()} keeps trying
 * @param backoffInitial    first reconnect delay
 * @param backoffMax        largest reconnect delay
 * @param maxFrameBytes     largest server frame accepted (the server batches pushes)
 * @param eventLoopGroup    a Netty group to share between clients, or null for one owned by the client
 * @param callbackExecutor  where request futures complete (never the Netty event loop)
 * @param systemListener    receives {@code {"sys": ...}} messages, or null
 * @param onRecoveryFailed  told when a resubscribe after reconnect answered {@code recovered: false}
 *                          (events may have been missed); receives the subscription and the reply
 * @param tls               how servers reached over {@code wss://} are checked
 */
public record ClientOptions(List<ServerAddress> addresses, AddressStrategy strategy, String token,
                            String username, String password, Duration requestTimeout, Duration connectTimeout,
                            Duration backoffInitial, Duration backoffMax, int maxFrameBytes,
                            EventLoopGroup eventLoopGroup, Executor callbackExecutor,
                            Consumer<ObjectNode> systemListener,
                            BiConsumer<ClientSubscription, JsonNode> onRecoveryFailed, ClientTls tls) {

    public ClientOptions {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one server address is required");
        }
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(callbackExecutor, "callbackExecutor");
        Objects.requireNonNull(tls, "tls");
    }

    /** The credential fields of {@code connect}: a token (the rolled one if any), else username/password, else none. */
    ObjectNode credentials(String currentToken) {
        ObjectNode creds = io.switchboard.core.json.Json.object();
        if (currentToken != null) {
            creds.put("token", currentToken);
        } else if (username != null) {
            creds.put("username", username).put("password", password);
        }
        return creds;
    }

    /** Fluent construction of {@link ClientOptions}, ending in {@link #build()} for a client. */
    public static final class Builder {
        private final List<ServerAddress> addresses = new ArrayList<>();
        private AddressStrategy strategy = AddressStrategy.ORDERED;
        private String token;
        private String username;
        private String password;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration backoffInitial = Duration.ofMillis(100);
        private Duration backoffMax = Duration.ofSeconds(10);
        private int maxFrameBytes = 64 * 1024 * 1024;
        private EventLoopGroup eventLoopGroup;
        private Executor callbackExecutor = ForkJoinPool.commonPool();
        private Consumer<ObjectNode> systemListener;
        private BiConsumer<ClientSubscription, JsonNode> onRecoveryFailed;
        private final List<X509Certificate> trusted = new ArrayList<>();

        Builder() {
        }

        /**
         * Adds a server by URL: {@code wss://host:port} connects over TLS, {@code ws://host:port}
         * without (also plain {@code host:port}).
         */
        public Builder url(String url) {
            addresses.add(ServerAddress.parse(url));
            return this;
        }

        /**
         * Trusts {@code cert} for {@code wss://} servers (e.g. a server's self-signed
         * {@code tls-cert.pem}, or a private CA). Once any certificate is given, only the given ones
         * are trusted; with none, the JDK's default trust store decides.
         */
        public Builder trustCertificate(X509Certificate cert) {
            trusted.add(Objects.requireNonNull(cert, "cert"));
            return this;
        }

        /** Trusts every certificate in the PEM file {@code pem} (see {@link #trustCertificate(X509Certificate)}). */
        public Builder trustCertificate(Path pem) {
            try (InputStream in = Files.newInputStream(pem)) {
                Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
                if (certs.isEmpty()) {
                    throw new IllegalArgumentException(pem + " holds no PEM certificate");
                }
                for (Certificate c : certs) {
                    trusted.add((X509Certificate) c);
                }
            } catch (IOException | CertificateException e) {
                throw new IllegalArgumentException("cannot read the certificate " + pem + ": " + e.getMessage(), e);
            }
            return this;
        }

        /** Adds a server; call several times for a pool. */
        public Builder address(String host, int port) {
            addresses.add(new ServerAddress(host, port));
            return this;
        }

        public Builder addresses(List<ServerAddress> list) {
            addresses.addAll(list);
            return this;
        }

        public Builder strategy(AddressStrategy s) {
            this.strategy = s;
            return this;
        }

        public Builder token(String t) {
            this.token = t;
            return this;
        }

        public Builder credentials(String user, String pass) {
            this.username = user;
            this.password = pass;
            return this;
        }

        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        public Builder maxFrameBytes(int n) {
            this.maxFrameBytes = n;
            return this;
        }

        /** Shares a Netty group between clients; the client then does not shut it down. */
        public Builder eventLoopGroup(EventLoopGroup g) {
            this.eventLoopGroup = g;
            return this;
        }

        public Builder callbackExecutor(Executor e) {
            this.callbackExecutor = e;
            return this;
        }

        public Builder onSystem(Consumer<ObjectNode> listener) {
            this.systemListener = listener;
            return this;
        }

        public Builder onRecoveryFailed(BiConsumer<ClientSubscription, JsonNode> callback) {
            this.onRecoveryFailed = callback;
            return this;
        }

        public ClientOptions options() {
            return new ClientOptions(addresses, strategy, token, username, password, requestTimeout, connectTimeout,
                    backoffInitial, backoffMax, maxFrameBytes, eventLoopGroup, callbackExecutor, systemListener,
                    onRecoveryFailed, new ClientTls(trusted));
        }

        /** A client with these options, not yet connected: call {@link SwitchboardNetworkClient#connect()}. */
        public SwitchboardNetworkClient build() {
            return new SwitchboardNetworkClient(options());
        }
    }
}
