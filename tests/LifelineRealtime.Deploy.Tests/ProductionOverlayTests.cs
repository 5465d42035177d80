using System.Text.Json.Nodes;
using LifelineRealtime.Host.Options;
using Microsoft.Extensions.Configuration;

namespace LifelineRealtime.Deploy.Tests;

/// <summary>Renders k8s/overlays/production once per class.</summary>
public sealed class ProductionOverlay : IAsyncLifetime
{
    public ManifestRenderer.Rendered Rendered { get; private set; } = null!;

    public JsonObject StatefulSet => Rendered.Single("StatefulSet", "lifeline");

    public JsonObject Container => StatefulSet["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!.AsObject();

    public JsonObject ConfigData => Rendered.OfKind("ConfigMap").Single()["data"]!.AsObject();

    public async ValueTask InitializeAsync() => Rendered = await ManifestRenderer.RenderAsync("k8s/overlays/production");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed class ProductionOverlayTests(ProductionOverlay overlay) : IClassFixture<ProductionOverlay>
{
    [Fact]
    public void ProductionOverlay_Rendered_HoldsExactlyTheEmbeddedModeObjects()
    {
        var kinds = overlay.Rendered.Objects
            .Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}")
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(
            ["ConfigMap/" + overlay.Rendered.OfKind("ConfigMap").Single()["metadata"]!["name"], "Ingress/lifeline", "Namespace/lifeline",
             "Service/lifeline", "Service/lifeline-headless", "StatefulSet/lifeline"],
            kinds);
        Assert.All(overlay.Rendered.Objects.Where(o => (string?)o["kind"] != "Namespace"),
            o => Assert.Equal("lifeline", (string?)o["metadata"]!["namespace"]));
    }

    [Fact]
    public void StatefulSet_EmbeddedMode_HasExactlyOneReplica()
    {
        Assert.Equal(1, (int)overlay.StatefulSet["spec"]!["replicas"]!);
        Assert.Equal("lifeline-headless", (string?)overlay.StatefulSet["spec"]!["serviceName"]);
    }

    [Fact]
    public void StatefulSet_Probes_ReadinessOnReadyzAndLivenessOnHealthz()
    {
        var container = overlay.Container;

        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/healthz", (string?)container["startupProbe"]!["httpGet"]!["path"]);
        Assert.Equal("http", (string?)container["readinessProbe"]!["httpGet"]!["port"]);
        var ports = container["ports"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => (int)p!["containerPort"]!);
        Assert.Equal(new Dictionary<string, int> { ["http"] = 8080, ["metrics"] = 9464 }, ports);

        // The metrics port is the one the engine serves /metrics on, and Prometheus is pointed at it.
        Assert.Equal("9464", (string?)overlay.ConfigData["Lifeline__Telemetry__MetricsPort"]);
        var annotations = overlay.StatefulSet["spec"]!["template"]!["metadata"]!["annotations"]!;
        Assert.Equal(("true", "9464", "/metrics"), ((string?)annotations["prometheus.io/scrape"], (string?)annotations["prometheus.io/port"], (string?)annotations["prometheus.io/path"]));
    }

    [Fact]
    public void StatefulSet_Security_NonRootWithReadOnlyRootAndWritableTmp()
    {
        var pod = overlay.StatefulSet["spec"]!["template"]!["spec"]!;
        var container = overlay.Container;

        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.Equal(1654, (int)pod["securityContext"]!["runAsUser"]!);
        Assert.Equal(1654, (int)pod["securityContext"]!["fsGroup"]!);
        Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Equal(["ALL"], container["securityContext"]!["capabilities"]!["drop"]!.AsArray().Select(n => (string?)n));
        var tmp = pod["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "tmp")!;
        Assert.NotNull(tmp["emptyDir"]);
        Assert.Contains(container["volumeMounts"]!.AsArray(), m => (string?)m!["name"] == "tmp" && (string?)m["mountPath"] == "/tmp");
    }

    [Fact]
    public void StatefulSet_Data_PersistentVolumeClaimMountedAtDataHoldsTheJournal()
    {
        var claim = overlay.StatefulSet["spec"]!["volumeClaimTemplates"]!.AsArray().Single()!;

        Assert.Equal("data", (string?)claim["metadata"]!["name"]);
        Assert.Equal(["ReadWriteOnce"], claim["spec"]!["accessModes"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("managed-csi-premium", (string?)claim["spec"]!["storageClassName"]);
        Assert.Contains(overlay.Container["volumeMounts"]!.AsArray(), m => (string?)m!["name"] == "data" && (string?)m["mountPath"] == "/data");
        Assert.Equal("/data/lifeline.db", (string?)overlay.ConfigData["Lifeline__Storage__Path"]);
        Assert.Equal("Full", (string?)overlay.ConfigData["Lifeline__Storage__Durability"]);
    }

    [Fact]
    public void Configuration_LockWaitAndReadinessLag_ShippedExplicitly()
    {
        // A locked journal answers webhooks 503 after this wait (Event Streams allows a sink 5 s); the pod
        // stops being ready when dispatch is this many records behind the journal.
        Assert.Equal("00:00:02", (string?)overlay.ConfigData["Lifeline__Storage__BusyTimeout"]);
        Assert.Equal("10000", (string?)overlay.ConfigData["Lifeline__Health__MaxDispatchLag"]);
    }

    [Fact]
    public void StatefulSet_GracePeriod_OutlastsTheHostShutdownTimeout()
    {
        // The host's default shutdown timeout is 30 s; the final dispatch checkpoint happens within it.
        Assert.Equal(60, (int)overlay.StatefulSet["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!);
    }

    [Fact]
    public void AuthTokens_EveryPlatform_ComesFromTheLifelineTwilioSecret()
    {
        var platformIds = overlay.ConfigData
            .Where(kv => kv.Key.StartsWith("Lifeline__Platforms__", StringComparison.Ordinal) && kv.Key.EndsWith("__Id", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key.Split("__")[2], kv => (string)kv.Value!);
        var env = overlay.Container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => e!);

        Assert.Equal(new Dictionary<string, string> { ["0"] = "ciss", ["1"] = "digi" }, platformIds);
        foreach (var (index, id) in platformIds)
        {
            var tokenEnv = env[$"Lifeline__Platforms__{index}__AuthToken"];
            Assert.Null(tokenEnv["value"]);
            Assert.Equal("lifeline-twilio", (string?)tokenEnv["valueFrom"]!["secretKeyRef"]!["name"]);
            Assert.Equal($"{id}-auth-token", (string?)tokenEnv["valueFrom"]!["secretKeyRef"]!["key"]);
        }
    }

    [Fact]
    public void Rendered_NoSecretOrLiteralToken_Anywhere()
    {
        Assert.Empty(overlay.Rendered.OfKind("Secret"));
        Assert.DoesNotContain(overlay.ConfigData, kv => kv.Key.Contains("AuthToken", StringComparison.OrdinalIgnoreCase));
        // The development tokens in appsettings.Development.json must never reach a cluster.
        Assert.DoesNotContain("dev_only_auth_token", overlay.Rendered.Yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(overlay.Container["env"]!.AsArray(),
            e => ((string)e!["name"]!).Contains("AuthToken", StringComparison.Ordinal) && e["value"] is not null);
    }

    [Fact]
    public void PublicBaseUrl_EqualsTheHttpsUrlTheIngressServes()
    {
        var ingress = overlay.Rendered.Single("Ingress", "lifeline");
        var host = (string?)ingress["spec"]!["rules"]![0]!["host"];
        var tlsHosts = ingress["spec"]!["tls"]![0]!["hosts"]!.AsArray().Select(n => (string?)n);

        Assert.Equal("realtime.lifeline.example.org.au", host);
        Assert.Contains(host, tlsHosts);
        Assert.Equal($"https://{host}", (string?)overlay.ConfigData["Lifeline__Ingest__PublicBaseUrl"]);
        var backend = ingress["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["backend"]!["service"]!;
        Assert.Equal("lifeline", (string?)backend["name"]);
        Assert.Equal("http", (string?)backend["port"]!["name"]);
    }

    [Fact]
    public void Image_ProductionOverlay_PinsARegistryImageAndTag()
    {
        Assert.Equal("lifeline.azurecr.io/lifeline-realtime:1.0.0", (string?)overlay.Container["image"]);
    }

    [Fact]
    public void Configuration_WithRealSidsAndTokens_PassesTheEngineStartValidation()
    {
        var settings = EnvironmentAsConfiguration(overlay.ConfigData);
        for (var i = 0; i < 2; i++)
        {
            settings[$"Lifeline:Platforms:{i}:AccountSid"] = "AC" + new string((char)('a' + i), 32);
            settings[$"Lifeline:Platforms:{i}:WorkspaceSid"] = "WS" + new string((char)('a' + i), 32);
            settings[$"Lifeline:Platforms:{i}:AuthToken"] = $"token-{i}";
        }

        settings["Lifeline:Auth:Authority"] = "https://login.microsoftonline.com/3fa85f64-5717-4562-b3fc-2c963f66afa6/v2.0";
        settings["Lifeline:Auth:Audience"] = "6d2b1f3e-1c1e-4c7a-9a55-0b3c6a7d8e9f";

        var result = Validate(settings);
        var auth = ValidateAuth(settings);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.True(auth.Succeeded, auth.FailureMessage);
    }

    [Fact]
    public void Auth_AsShipped_NamesTheOrganisationsProviderAndIsRefusedUntilItsPlaceholdersAreReplaced()
    {
        var settings = EnvironmentAsConfiguration(overlay.ConfigData);

        var auth = ValidateAuth(settings);

        Assert.Equal(
            ["Lifeline:Auth:Authority still holds a placeholder (https://login.microsoftonline.com/REPLACE_WITH_TENANT_ID/v2.0): set the real value.",
             "Lifeline:Auth:Audience still holds a placeholder (REPLACE_WITH_APP_CLIENT_ID): set the real value."],
            auth.Failures);
    }

    [Fact]
    public void Configuration_AsShipped_IsRefusedAtStartNamingEachPlaceholderSid()
    {
        var settings = EnvironmentAsConfiguration(overlay.ConfigData);
        settings["Lifeline:Platforms:0:AuthToken"] = "token-0";
        settings["Lifeline:Platforms:1:AuthToken"] = "token-1";

        var result = Validate(settings);

        Assert.Equal(
            ["Lifeline:Platforms:0:AccountSid must start with AC", "Lifeline:Platforms:0:WorkspaceSid must start with WS",
             "Lifeline:Platforms:1:AccountSid must start with AC", "Lifeline:Platforms:1:WorkspaceSid must start with WS"],
            result.Failures);
    }

    // What the environment-variable configuration provider does with Lifeline__X__Y.
    private static Dictionary<string, string?> EnvironmentAsConfiguration(JsonObject data) =>
        data.ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => (string?)kv.Value);

    private static Microsoft.Extensions.Options.ValidateOptionsResult ValidateAuth(Dictionary<string, string?> settings)
    {
        var options = new LifelineRealtime.Host.Access.AuthOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(LifelineRealtime.Host.Access.AuthOptions.SectionName).Bind(options);
        var failures = options.Validate();
        return failures.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new LifelineOptions();
        configuration.GetSection(LifelineOptions.SectionName).Bind(options);
        return new LifelineOptionsValidator().Validate(null, options);
    }
}
