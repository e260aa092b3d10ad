import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pulsar.client.api.AuthenticationFactory;
import org.apache.pulsar.client.api.ClientBuilder;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;

/**
 * The binary-protocol half of `dev/services check --secure pulsar`: the Pulsar client (from the jars
 * dev/services installed) produces and consumes one message with the service's token over TLS, and is
 * refused in every other way. Run as a single-file program:
 *
 * <pre>java -cp '.local/dist/pulsar-4.0.7/lib/*' dev/lib/secure/PulsarSmoke.java TLS_URL PLAIN_URL CA TOKEN WRONG_KEY_TOKEN NOBODY_TOKEN TOPIC</pre>
 *
 * Prints one line per case, "PASS ..." or "FAIL ..."; exits 1 when any case failed. Prints no token.
 */
public class PulsarSmoke {

    private static final List<String> FAILED = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String tlsUrl = args[0], plainUrl = args[1], ca = args[2];
        String token = read(args[3]), wrongKeyToken = read(args[4]), nobodyToken = read(args[5]);
        String topic = args[6];

        expect(true, "TLS + CA + service token: produce and consume", tlsUrl, ca, token, topic);
        expect(false, "plaintext pulsar:// to the TLS port", plainUrl, null, token, topic);
        expect(false, "TLS, no token", tlsUrl, ca, null, topic);
        expect(false, "TLS, token signed by another key", tlsUrl, ca, wrongKeyToken, topic);
        expect(false, "TLS, valid token of a role without permission", tlsUrl, ca, nobodyToken, topic);
        expect(false, "TLS without the CA (JDK trust store)", tlsUrl, null, token, topic);
        System.exit(FAILED.isEmpty() ? 0 : 1);
    }

    private static void expect(boolean works, String what, String url, String ca, String token, String topic) {
        String outcome;
        boolean worked;
        try {
            outcome = roundTrip(url, ca, token, topic);
            worked = true;
        } catch (Exception e) {
            outcome = describe(e);
            worked = false;
        }
        boolean pass = worked == works;
        if (!pass) {
            FAILED.add(what);
        }
        System.out.printf("%s pulsar     %-48s %s%n", pass ? "PASS" : "FAIL", what,
                (works ? "" : worked ? "NOT refused: " : "refused: ") + outcome);
    }

    private static String roundTrip(String url, String ca, String token, String topic) throws Exception {
        ClientBuilder builder = PulsarClient.builder().serviceUrl(url)
                .operationTimeout(6, TimeUnit.SECONDS).connectionTimeout(3, TimeUnit.SECONDS)
                .lookupTimeout(6, TimeUnit.SECONDS).enableTlsHostnameVerification(true);
        if (ca != null) {
            builder.tlsTrustCertsFilePath(ca);
        }
        if (token != null) {
            builder.authentication(AuthenticationFactory.token(token));
        }
        try (PulsarClient client = builder.build();
                Consumer<byte[]> consumer = client.newConsumer().topic(topic).subscriptionName("dev-services-check")
                        .subscriptionInitialPosition(SubscriptionInitialPosition.Latest).subscribe();
                Producer<byte[]> producer = client.newProducer().topic(topic).create()) {
            String body = "dev/services check " + System.nanoTime();
            producer.send(body.getBytes());
            Message<byte[]> message = consumer.receive(10, TimeUnit.SECONDS);
            if (message == null) {
                throw new IllegalStateException("sent, but nothing came back within 10 s");
            }
            consumer.acknowledge(message);
            if (!body.equals(new String(message.getData()))) {
                throw new IllegalStateException("received another message than the one sent");
            }
            return "sent and received one message over " + url;
        }
    }

    /** The exception and its causes, one line, without stack traces. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage()).replaceAll("\\s+", " ");
            if (text.length() > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(message.length() > 160 ? message.substring(0, 160) + "…" : message);
        }
        return text.toString();
    }

    private static String read(String file) throws Exception {
        return Files.readString(Path.of(file)).trim();
    }
}
