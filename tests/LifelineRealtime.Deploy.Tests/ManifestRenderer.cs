using System.Diagnostics;
using System.Text.Json.Nodes;

namespace LifelineRealtime.Deploy.Tests;

/// <summary>
/// Renders a kustomization with the real <c>kubectl kustomize</c> and validates every object against the
/// Kubernetes schema with the real <c>kubernetes-models</c> (Node), all offline.
/// </summary>
public static class ManifestRenderer
{
    private static readonly string ValidatorScript = RepositoryPaths.Combine("tests", "LifelineRealtime.Deploy.Tests", "node", "validate-manifests.mjs");

    public sealed record Rendered(string Yaml, IReadOnlyList<JsonObject> Objects)
    {
        public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

        public JsonObject Single(string kind, string name) =>
            Objects.Single(o => (string?)o["kind"] == kind && (string?)o["metadata"]?["name"] == name);
    }

    public static async Task<Rendered> RenderAsync(string kustomizationDir)
    {
        var yaml = await RunAsync("kubectl", ["kustomize", RepositoryPaths.Combine(kustomizationDir)], stdin: null,
            missingHint: "kubectl (1.32, with kustomize) is required to render k8s/: install it so that `kubectl` is on PATH");
        var json = await ValidateAsync(yaml);
        var objects = JsonNode.Parse(json)!.AsArray().Select(n => n!.AsObject()).ToList();
        return new Rendered(yaml, objects);
    }

    /// <summary>Schema-checks a YAML stream; returns the objects as a JSON array or throws with the reasons.</summary>
    public static Task<string> ValidateAsync(string yaml) =>
        RunAsync("node", [ValidatorScript], yaml,
            missingHint: "node is required for schema validation (npm ci installs kubernetes-models and yaml)");

    private static async Task<string> RunAsync(string file, string[] args, string? stdin, string missingHint)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"`{file}` was not found. {missingHint}.", e);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
                process.StandardInput.Close();
            }

            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"`{file} {string.Join(' ', args)}` exited {process.ExitCode}: {await error}");
            }

            return await output;
        }
    }
}
