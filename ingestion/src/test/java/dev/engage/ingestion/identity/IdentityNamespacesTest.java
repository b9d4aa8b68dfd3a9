package dev.engage.ingestion.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engage.ingestion.collector.Sources;
import dev.engage.schemas.identity.PersonalData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityNamespacesTest {
  @TempDir Path dir;

  @Test
  void namespacesDeclaredInTheConfigReplaceTheDefaults() throws Exception {
    Path file = dir.resolve("ingestion.yaml");
    Files.writeString(
        file,
        "sources: []\nnamespaces:\n"
            + "  - { name: member_no, unique: true, format: text, fields: [/traits/member_no] }\n"
            + "  - { name: email, personal: true, format: email, fields: [/traits/email] }\n");

    IdentityNamespaces namespaces = IdentityNamespaces.load(file);

    assertThat(namespaces.uniqueNames()).containsExactly("customer_id", "member_no");
    assertThat(namespaces.get("loyalty_id")).isEmpty();
    assertThat(namespaces.get("email").orElseThrow().keyValue(" A@B.c "))
        .isEqualTo(PersonalData.sha256("a@b.c"));
  }

  @Test
  void withoutADeclarationTheDefaultsApply() throws Exception {
    Path file = dir.resolve("ingestion.yaml");
    Files.writeString(file, "sources: []\n");

    assertThat(IdentityNamespaces.load(file).uniqueNames())
        .containsExactly("customer_id", "loyalty_id");
  }

  @Test
  void aBadDeclarationNamesTheFileAndEntry() throws Exception {
    Path file = dir.resolve("ingestion.yaml");
    Files.writeString(file, "namespaces:\n  - { name: Member No, fields: [/traits/m] }\n");

    assertThatThrownBy(() -> IdentityNamespaces.load(file))
        .hasMessageContaining("namespaces[0]")
        .hasMessageContaining("must be snake_case");
  }

  @Test
  void theExampleConfigUsedByDockerComposeIsValid() {
    Path example = Path.of("config", "ingestion.example.yaml");

    assertThat(Sources.load(example).all()).hasSize(5);
    assertThat(IdentityNamespaces.load(example).uniqueNames())
        .containsExactly("customer_id", "loyalty_id");
  }

  @Test
  void phonesAndEmailsAreNormalizedBeforeHashing() {
    assertThat(PersonalData.normalizePhone("+49 (170) 123-45")).isEqualTo("+4917012345");
    assertThat(PersonalData.normalizePhone("0049 170 12345")).isEqualTo("+4917012345");
    assertThat(PersonalData.normalizeEmail(" Ann@Example.COM")).isEqualTo("ann@example.com");
  }
}
