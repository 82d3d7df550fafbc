using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace WgStream.Tests.Operations;

/// <summary>
/// Writes docs/configuration.md from the options classes themselves: every class with a
/// <c>public const string Section</c> in the Api, the grains and the service defaults, each settable property (nested
/// option objects as <c>Section:Property:Key</c>), its default (read from a new instance) and its
/// summary (from the assemblies' XML documentation). One source for the names, so the reference
/// cannot leave a setting out.
/// </summary>
internal static partial class ConfigurationReference
{
    /// <summary>Where options classes live: what the reference documents and what deployment files may name.</summary>
    internal static readonly Assembly[] Assemblies =
    [
        typeof(WgStream.Api.GraphQL.GraphQLOptions).Assembly,
        typeof(WgStream.Grains.Chat.ChatOptions).Assembly,
        typeof(WgStream.Gateways.Stripe.StripeOptions).Assembly,
        typeof(WgStream.ServiceDefaults.TelemetryOptions).Assembly,
        typeof(WgStream.Hosting.OrleansHostOptions).Assembly,
        typeof(WgStream.GrainInterfaces.Common.RateLimitRule).Assembly,
    ];

    /// <summary>Where option objects bound as subsections may come from (a <c>RateLimitRule</c> is a contract type).</summary>
    private static readonly Assembly[] NestedFrom = Assemblies;

    public static string Generate()
    {
        var docs = NestedFrom.Select(LoadDocs).SelectMany(d => d).DistinctBy(p => p.Key).ToDictionary(p => p.Key, p => p.Value);
        var sections = Assemblies
            .SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } f ? f.GetRawConstantValue() as string : null))
            .Where(x => x.Section is not null && x.Type.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(x => x.Section, StringComparer.Ordinal)
            .ToList();
        var ownSections = sections.Select(s => s.Section!).ToHashSet(StringComparer.Ordinal);

        var text = new StringBuilder();
        text.Append("""
            # Configuration reference

            Generated from the options classes by `ConfigurationReferenceTests` (run the tests with
            `WG_UPDATE_CONFIG_DOCS=1` to rewrite it); the test fails when a setting is missing here.

            Settings come from `appsettings.json` in `Api/` and `Silo/` (the Api reads the silo's settings
            too when it co-hosts one), overridden by environment variables prefixed `WG_` with `__` for `:`
            (`Chat:MaxMessageLength` is `WG_Chat__MaxMessageLength`; list items are `WG_Admin__UserIds__0`).
            Durations are `[d.]hh:mm:ss[.fff]`. `./wg run` sets a few for local use (see `./wg help`);
            `deploy/k8s/config.yaml` and `docker-compose.yml` set those a cluster needs.

            """);
        text.Append('\n');
        foreach (var (type, section) in sections)
        {
            var rows = new List<(string Key, string Default, string What)>();
            AddRows(rows, type, Activator.CreateInstance(type), section!, docs, ownSections, depth: 0);
            if (rows.Count == 0)
            {
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"## `{section}` (`{type.Name}`)\n\n");
            if (docs.GetValueOrDefault("T:" + type.FullName!.Replace('+', '.')) is { Length: > 0 } about)
            {
                text.Append(about).Append("\n\n");
            }

            text.Append("| key | default | what it does |\n|---|---|---|\n");
            foreach (var (key, value, what) in rows)
            {
                text.Append(CultureInfo.InvariantCulture, $"| `{key}` | {value} | {Cell(what)} |\n");
            }

            text.Append('\n');
        }

        return text.ToString().TrimEnd() + "\n";
    }

    private static void AddRows(
        List<(string, string, string)> rows, Type type, object? instance, string prefix,
        Dictionary<string, string> docs, HashSet<string> ownSections, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var key = $"{prefix}:{property.Name}";
            if (ownSections.Contains(key))
            {
                continue; // documented under its own section
            }

            var value = instance is null ? null : property.GetValue(instance);
            var what = docs.GetValueOrDefault($"P:{property.DeclaringType!.FullName!.Replace('+', '.')}.{property.Name}") ?? string.Empty;
            if (IsNested(property.PropertyType) && depth < 4)
            {
                var before = rows.Count;
                AddRows(rows, property.PropertyType, value ?? TryCreate(property.PropertyType), key, docs, ownSections, depth + 1);
                if (what.Length > 0 && rows.Count > before)
                {
                    // The object's own summary goes with its first key, so nothing said about it is lost.
                    var (k, d, w) = rows[before];
                    rows[before] = (k, d, w.Length == 0 ? what : $"{what} — {w}");
                }

                continue;
            }

            rows.Add((key, Format(value), what));
        }
    }

    /// <summary>An options object of ours bound as a subsection (a class or record with settable properties), not a value.</summary>
    private static bool IsNested(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type)
        && NestedFrom.Contains(type.Assembly)
        && type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.SetMethod is { IsPublic: true });

    private static object? TryCreate(Type type) => type.GetConstructor(Type.EmptyTypes) is not null ? Activator.CreateInstance(type) : null;

    private static string Format(object? value) => value switch
    {
        null => "*(none)*",
        string { Length: 0 } => "*(empty)*",
        string s => $"`{s}`",
        bool b => b ? "`true`" : "`false`",
        TimeSpan t => $"`{t.ToString("c", CultureInfo.InvariantCulture)}`",
        Enum e => $"`{e}`",
        IFormattable f => $"`{f.ToString(null, CultureInfo.InvariantCulture)}`",
        IDictionary { Count: 0 } or ICollection { Count: 0 } => "*(empty)*",
        IDictionary d => string.Join(", ", d.Keys.Cast<object>().Select(k => $"`{k}`: {Format(d[k])}")),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Format)),
        _ => $"`{value}`",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>Member summaries by XML documentation id (<c>P:Ns.Type.Name</c>), as one line of Markdown.</summary>
    private static Dictionary<string, string> LoadDocs(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The XML documentation of {assembly.GetName().Name} is missing (GenerateDocumentationFile in its project).", path);
        }

        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .DistinctBy(m => (string)m.Attribute("name")!)
            .ToDictionary(m => (string)m.Attribute("name")!, m => Markdown(m.Element("summary")!));
    }

    private static string Markdown(XElement summary)
    {
        var text = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "c" } c => $"`{c.Value}`",
                XElement { Name.LocalName: "see" or "seealso" } see => $"`{Short((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? (string?)see.Attribute("href") ?? see.Value)}`",
                XElement { Name.LocalName: "paramref" or "typeparamref" } p => $"`{(string?)p.Attribute("name")}`",
                XElement { Name.LocalName: "para" } p => " " + Markdown(p) + " ",
                XElement e => Markdown(e),
                _ => string.Empty,
            });
        }

        return Spaces().Replace(text.ToString(), " ").Trim();
    }

    /// <summary><c>P:WgStream.Grains.Chat.ChatOptions.HistorySize</c> → <c>ChatOptions.HistorySize</c>.</summary>
    private static string Short(string cref)
    {
        var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        name = name.Split('(')[0];
        var parts = name.Split('.');
        return parts.Length >= 2 && char.IsUpper(parts[^1][0]) && char.IsUpper(parts[^2][0]) ? $"{parts[^2]}.{parts[^1]}" : parts[^1];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
