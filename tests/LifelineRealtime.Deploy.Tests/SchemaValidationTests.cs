namespace LifelineRealtime.Deploy.Tests;

/// <summary>The schema check is only worth something if it rejects what a cluster would.</summary>
public sealed class SchemaValidationTests
{
    [Fact]
    public async Task Validate_StatefulSetWithStringReplicas_IsRejectedNamingTheField()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: broken
            spec:
              replicas: "one"
              serviceName: x
              selector: { matchLabels: { app: x } }
              template: { metadata: { labels: { app: x } }, spec: { containers: [ { name: x, image: x } ] } }
            """;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ManifestRenderer.ValidateAsync(yaml));

        Assert.Contains("StatefulSet broken: data/spec/replicas must be integer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnknownKind_IsRejected()
    {
        const string yaml = """
            apiVersion: v1
            kind: Servise
            metadata:
              name: typo
            """;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ManifestRenderer.ValidateAsync(yaml));

        Assert.Contains("Servise typo: no schema for v1/Servise", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_SecretExample_IsAValidSecretNamedAsTheStatefulSetExpects()
    {
        var yaml = await File.ReadAllTextAsync(RepositoryPaths.Combine("k8s", "secret.example.yaml"), TestContext.Current.CancellationToken);

        var json = await ManifestRenderer.ValidateAsync(yaml);

        var secret = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsArray().Single()!;
        Assert.Equal("lifeline-twilio", (string?)secret["metadata"]!["name"]);
        Assert.Equal(["ciss-auth-token", "digi-auth-token"], secret["stringData"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.All(secret["stringData"]!.AsObject(), kv => Assert.StartsWith("REPLACE_WITH_", (string?)kv.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void Kustomizations_NeverIncludeTheSecretExample()
    {
        var kustomizations = Directory.GetFiles(RepositoryPaths.Combine("k8s"), "kustomization.yaml", SearchOption.AllDirectories);

        Assert.Equal(2, kustomizations.Length);
        Assert.All(kustomizations, k => Assert.DoesNotContain(
            File.ReadLines(k).Where(l => !l.TrimStart().StartsWith('#')),
            l => l.Contains("secret.example", StringComparison.Ordinal)));
    }
}
