using System.Reflection;
using System.Text.RegularExpressions;
using Orleans.Configuration;
using WgStream.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace WgStream.Tests.Operations;

/// <summary>
/// Docker cannot run here, so the deployment files are checked statically: they parse, every path
/// they reference exists, and every <c>WG_</c> setting they pass names a real option.
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed partial class DeploymentFilesTests
{
    private static readonly Assembly[] OptionAssemblies = ConfigurationReference.Assemblies;

    [Fact]
    public void Compose_parses_names_every_part_and_builds_from_existing_paths()
    {
        var compose = LoadYaml(Path.Combine(RepoPaths.Root, "docker-compose.yml"));
        var services = Map(compose["services"]);
        Assert.Subset(services.Keys.ToHashSet(), new HashSet<string> { "postgres", "redis", "minio", "nginx-rtmp", "silo1", "silo2", "api" });

        foreach (var (name, value) in services)
        {
            var service = Map(value);
            if (service.TryGetValue("build", out var buildValue))
            {
                var build = Map(buildValue);
                var context = Path.Combine(RepoPaths.Root, (string)build["context"]!);
                Assert.True(Directory.Exists(context), $"{name}: build context {context} is missing");
                var dockerfile = Path.Combine(context, build.TryGetValue("dockerfile", out var d) ? (string)d! : "Dockerfile");
                Assert.True(File.Exists(dockerfile), $"{name}: {dockerfile} is missing");
                if (build.TryGetValue("args", out var args) && Map(args).TryGetValue("PROJECT", out var project))
                {
                    Assert.True(File.Exists(Path.Combine(RepoPaths.Root, (string)project!, $"{project}.csproj")), $"{name}: no project {project}");
                }
            }
            else
            {
                Assert.True(service.ContainsKey("image"), $"{name} has neither build nor image");
            }

            if (service.TryGetValue("environment", out var environment))
            {
                foreach (var key in Map(environment).Keys.Where(k => k.StartsWith("WG_", StringComparison.Ordinal)))
                {
                    AssertNamesAnOption(key, $"docker-compose.yml {name}");
                }
            }
        }

        var api = Map(services["api"]);
        Assert.Equal("Client", Map(api["environment"])["WG_Cluster__ApiMode"]);
        Assert.Equal("Redis", Map(Map(services["silo1"])["environment"])["WG_Cluster__Clustering"]);
    }

    [Fact]
    public void Kubernetes_manifests_parse_and_their_settings_name_real_options()
    {
        var directory = Path.Combine(RepoPaths.Root, "deploy", "k8s");
        var kinds = new List<string>();
        foreach (var file in Directory.GetFiles(directory, "*.yaml"))
        {
            var parser = new Parser(new StringReader(File.ReadAllText(file)));
            parser.Consume<YamlDotNet.Core.Events.StreamStart>();
            var deserializer = new DeserializerBuilder().Build();
            while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
            {
                var document = Map(deserializer.Deserialize(parser));
                kinds.Add((string)document["kind"]!);
                Assert.True(document.ContainsKey("metadata"), $"{file}: a document without metadata");
                foreach (var key in SettingKeys(document))
                {
                    AssertNamesAnOption(key, Path.GetFileName(file));
                }
            }
        }

        Assert.Subset(kinds.ToHashSet(), new HashSet<string> { "Namespace", "ConfigMap", "Secret", "Deployment", "Service", "Ingress", "HorizontalPodAutoscaler" });
    }

    [Fact]
    public void The_images_copy_only_what_exists_and_the_ingest_renders_every_placeholder()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepoPaths.Root, "Dockerfile"));
        foreach (Match copy in CopySource().Matches(dockerfile))
        {
            foreach (var source in copy.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            {
                Assert.True(File.Exists(Path.Combine(RepoPaths.Root, source)) || Directory.Exists(Path.Combine(RepoPaths.Root, source)), $"Dockerfile copies missing {source}");
            }
        }

        Assert.Contains("USER app", dockerfile, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK", dockerfile, StringComparison.Ordinal);

        var template = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "nginx-rtmp", "nginx.conf.template"));
        var placeholders = Placeholder().Matches(template).Select(m => m.Value).ToHashSet();
        foreach (var renderer in new[] { Path.Combine("deploy", "nginx-rtmp", "entrypoint.sh"), "wg" })
        {
            var script = File.ReadAllText(Path.Combine(RepoPaths.Root, renderer));
            Assert.All(placeholders, p => Assert.Contains($"s|{p}|", script, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Every_host_gets_the_key_encryption_key_from_the_deployments_secrets_which_have_no_usable_default()
    {
        // The images run in Production, which refuses to start without Streams:KeyEncryptionKey.
        var services = Map(LoadYaml(Path.Combine(RepoPaths.Root, "docker-compose.yml"))["services"]);
        foreach (var name in new[] { "silo1", "silo2", "api" })
        {
            var value = (string?)Map(Map(services[name])["environment"])["WG_Streams__KeyEncryptionKey"];
            // ${VAR:?message}: compose stops with the message instead of passing an empty key.
            Assert.Matches(@"^\$\{STREAM_KEY_ENCRYPTION_KEY:\?.*openssl rand -base64 32.*\}$", value);
        }

        var k8s = Path.Combine(RepoPaths.Root, "deploy", "k8s");
        var secrets = Map(LoadYaml(Path.Combine(k8s, "secrets.example.yaml"))["stringData"]);
        Assert.True(secrets.ContainsKey("WG_Streams__KeyEncryptionKey"), "wg-secrets has no WG_Streams__KeyEncryptionKey");
        foreach (var manifest in new[] { "api.yaml", "silo.yaml" })
        {
            Assert.Contains("secretRef: { name: wg-secrets }", File.ReadAllText(Path.Combine(k8s, manifest)), StringComparison.Ordinal);
        }
    }

    /// <summary><c>WG_Section__Property[__Nested]</c> must resolve to a property of the options class bound to that section.</summary>
    private static void AssertNamesAnOption(string key, string where)
    {
        var parts = key["WG_".Length..].Split("__");
        Assert.True(parts.Length >= 2, $"{where}: {key} is not WG_Section__Key");
        // The longest section that names an options class wins: Streams:Janus before Streams.
        Type? type = null;
        var path = parts[1..];
        for (var length = parts.Length - 1; length >= 1 && type is null; length--)
        {
            var section = string.Join(':', parts[..length]);
            type = section == "Cluster:Membership" ? typeof(ClusterMembershipOptions) : OptionsType(section);
            path = parts[length..];
        }

        Assert.True(type is not null, $"{where}: {key} names no options section {parts[0]}");
        foreach (var part in path)
        {
            var property = type!.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            Assert.True(property is not null, $"{where}: {key}: {type.Name} has no property {part}");
            type = property!.PropertyType;
        }
    }

    private static Type? OptionsType(string section) => OptionAssemblies
        .SelectMany(a => a.GetTypes())
        .FirstOrDefault(t => t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && (string?)field.GetValue(null) == section);

    private static IEnumerable<string> SettingKeys(object? node) => node switch
    {
        IDictionary<object, object> map => map.SelectMany(kv =>
            (kv.Key is string key && key.StartsWith("WG_", StringComparison.Ordinal) ? [key] : Array.Empty<string>())
            .Concat(kv.Key as string == "name" && kv.Value is string name && name.StartsWith("WG_", StringComparison.Ordinal) ? [name] : [])
            .Concat(SettingKeys(kv.Value))),
        IList<object> list => list.SelectMany(SettingKeys),
        _ => [],
    };

    internal static Dictionary<string, object?> LoadYaml(string path)
    {
        // Merge keys (<<: *anchor) are how compose shares the platform settings.
        var parser = new MergingParser(new Parser(new StringReader(File.ReadAllText(path))));
        return Map(new DeserializerBuilder().Build().Deserialize(parser));
    }

    internal static Dictionary<string, object?> Map(object? node) =>
        Assert.IsAssignableFrom<IDictionary<object, object>>(node).ToDictionary(kv => (string)kv.Key, kv => (object?)kv.Value);

    [GeneratedRegex(@"^COPY (?!--from)(.+)$", RegexOptions.Multiline)]
    private static partial Regex CopySource();

    [GeneratedRegex("@@[A-Z_]+@@")]
    private static partial Regex Placeholder();
}
