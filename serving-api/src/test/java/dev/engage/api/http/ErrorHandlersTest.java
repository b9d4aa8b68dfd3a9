package dev.engage.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisDataException;

class ErrorHandlersTest {
  @Test
  void redisLoadingItsDataAfterARestartIsUnavailableNotAFailure() {
    // what the API met in engage chaos, a second after Redis was killed and started again
    assertThat(
            ErrorHandlers.isTemporary(
                new JedisDataException("LOADING Redis is loading the dataset in memory")))
        .isTrue();
    assertThat(ErrorHandlers.isTemporary(new JedisDataException("CLUSTERDOWN The cluster is down")))
        .isTrue();
    assertThat(
            ErrorHandlers.isTemporary(
                new JedisDataException(
                    "WRONGTYPE Operation against a key holding the wrong kind of value")))
        .isFalse();
  }
}
