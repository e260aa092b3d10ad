package io.sensorrollup.sink.clickhouse;

import com.clickhouse.client.api.Client;
import io.sensorrollup.source.tls.PemTrust;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.temporal.ChronoUnit;

class ClickHouseClientProducer {

    @Produces
    @ApplicationScoped
    Client client(ClickHouseConfig config) {
        Client.Builder builder = new Client.Builder();
        config.caFile().ifPresent(file -> {
            PemTrust.certificates("rollup.clickhouse.ca-file", file); // a wrong file stops start-up, naming the key
            builder.setRootCertificate(file.toAbsolutePath().toString());
        });
        return builder
                .addEndpoint(config.url())
                .setUsername(config.user())
                .setPassword(config.password().orElse(""))
                // ClickHouse 18.16 sends compressed responses the client cannot read
                .compressServerResponse(false)
                .setConnectTimeout(5, ChronoUnit.SECONDS)
                .setSocketTimeout(30, ChronoUnit.SECONDS)
                .build();
    }

    void close(@Disposes Client client) {
        client.close();
    }
}
