package io.sensorrollup.sink.clickhouse;

import com.clickhouse.client.api.Client;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.temporal.ChronoUnit;

class ClickHouseClientProducer {

    @Produces
    @ApplicationScoped
    Client client(ClickHouseConfig config) {
        return new Client.Builder()
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
