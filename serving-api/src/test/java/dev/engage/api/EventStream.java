package dev.engage.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** A server-sent-event stream opened on the test API, its lines collected as they arrive. */
final class EventStream implements AutoCloseable {
  final List<String> lines = new CopyOnWriteArrayList<>();
  final HttpResponse<Stream<String>> response;
  private volatile boolean ended;

  private EventStream(HttpResponse<Stream<String>> response) {
    this.response = response;
    Thread reader =
        new Thread(
            () -> {
              try {
                response.body().forEach(lines::add);
              } catch (RuntimeException e) {
                // closed by the test
              } finally {
                ended = true;
              }
            });
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens the stream at the path, with the key given (null: none, e.g. with a token). */
  static EventStream open(TestApi api, String path, String key) throws Exception {
    HttpRequest request =
        api.request(path, key)
            .timeout(Duration.ofMinutes(1))
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    HttpResponse<Stream<String>> response =
        TestApi.HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    return new EventStream(response);
  }

  /** Whether the server has closed the stream. */
  boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    response.body().close();
  }
}
