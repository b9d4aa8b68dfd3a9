package dev.engage.schemas.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityLevelTest {
  private static final Schema V1 = record("{\"name\":\"a\",\"type\":\"int\"}");
  private static final Schema ADDS_FIELD_WITH_DEFAULT =
      record(
          "{\"name\":\"a\",\"type\":\"int\"}, {\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}");
  private static final Schema ADDS_FIELD_WITHOUT_DEFAULT =
      record("{\"name\":\"a\",\"type\":\"int\"}, {\"name\":\"b\",\"type\":\"string\"}");
  private static final Schema DROPS_FIELD =
      record("{\"name\":\"c\",\"type\":\"long\",\"default\":0}");

  @Test
  void backwardAcceptsANewFieldWithDefault() {
    assertThat(CompatibilityLevel.BACKWARD.problems(ADDS_FIELD_WITH_DEFAULT, List.of(V1)))
        .isEmpty();
  }

  @Test
  void backwardRefusesANewFieldWithoutDefaultAndNamesIt() {
    List<String> problems =
        CompatibilityLevel.BACKWARD.problems(ADDS_FIELD_WITHOUT_DEFAULT, List.of(V1));

    assertThat(problems)
        .singleElement()
        .asString()
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "'b'");
  }

  @Test
  void forwardChecksThatOldReadersCanReadNewData() {
    // Old readers need a default for 'a' once new writers drop it.
    assertThat(CompatibilityLevel.FORWARD.problems(DROPS_FIELD, List.of(V1))).isNotEmpty();
    assertThat(CompatibilityLevel.FORWARD.problems(ADDS_FIELD_WITHOUT_DEFAULT, List.of(V1)))
        .isEmpty();
  }

  @Test
  void fullNeedsBothDirections() {
    assertThat(CompatibilityLevel.FULL.problems(ADDS_FIELD_WITH_DEFAULT, List.of(V1))).isEmpty();
    assertThat(CompatibilityLevel.FULL.problems(ADDS_FIELD_WITHOUT_DEFAULT, List.of(V1)))
        .isNotEmpty();
  }

  @Test
  void nonTransitiveLevelsCheckOnlyTheLatestVersion() {
    // Reads the latest version (which has 'b') but not V1 (which lacks it, and 'b' has no default).
    Schema needsB = record("{\"name\":\"b\",\"type\":\"string\"}");
    List<Schema> history = List.of(V1, ADDS_FIELD_WITH_DEFAULT);

    assertThat(CompatibilityLevel.BACKWARD.problems(needsB, history)).isEmpty();
    assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.problems(needsB, history)).isNotEmpty();
  }

  @Test
  void noneAcceptsAnything() {
    assertThat(CompatibilityLevel.NONE.problems(ADDS_FIELD_WITHOUT_DEFAULT, List.of(V1))).isEmpty();
  }

  @Test
  void levelsParseCaseInsensitivelyAndUnknownOnesGiveConfluentsError() {
    assertThat(CompatibilityLevel.parse("full_transitive"))
        .isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
    assertThatThrownBy(() -> CompatibilityLevel.parse("sideways"))
        .isInstanceOfSatisfying(
            RegistryError.class, e -> assertThat(e.errorCode()).isEqualTo(42203));
  }

  private static Schema record(String fields) {
    return new Schema.Parser()
        .parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}");
  }
}
