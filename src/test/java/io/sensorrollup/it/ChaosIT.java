package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The fault campaign's short round in {@code dev/test}: two instances, a fixed seed, about two minutes of
 * faults; {@code dev/chaos} runs the long campaign.
 */
class ChaosIT {

    @Test
    void aShortRoundOfFaultsLosesNothingAndCountsNothingTwice() throws Exception {
        ChaosRound.Outcome outcome = new ChaosRound(new ChaosRound.Options(1, 2, 100_000, 300, 200)).run();
        System.out.println(ChaosCampaign.HEADER);
        System.out.println(ChaosCampaign.line(outcome));
        assertTrue(outcome.clean(), () -> ChaosCampaign.line(outcome) + "\n" + outcome.plan() + "\n"
                + String.join("\n", outcome.result().examples()) + "\n" + outcome.result().stores() + "\n"
                + outcome.faultErrors() + "\n" + String.join("\n", outcome.loggedErrors()));
    }
}
