using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Options;

namespace WgStream.Api.GraphQL;

/// <summary>
/// The web client's operations, known when it is built: codegen writes every document of the client
/// by its id, <c>sha256:</c> and the hex SHA-256 of its text (graphql-over-http, Appendix A), to
/// <c>persisted-documents.json</c>, which the web build puts next to the app. The client sends
/// <c>{"documentId": …}</c> instead of the text; <see cref="GraphQLOptions.PersistedOnly"/> can then
/// refuse any other document from anonymous clients. An entry whose id is not its text's hash is
/// not loaded, so the file cannot smuggle in a document under another's name.
/// </summary>
public sealed partial class PersistedDocuments
{
    private const string Prefix = "sha256:";
    private readonly FrozenDictionary<string, string> documents;

    public PersistedDocuments(IOptions<GraphQLOptions> options, IWebHostEnvironment environment, ILogger<PersistedDocuments> logger)
    {
        // Through the web root's file provider by default, which also finds the project's wwwroot
        // when the Api runs from its build output (static web assets), as in tests and benchmarks.
        var file = options.Value.PersistedDocumentsPath is { Length: > 0 } configured
            ? new PhysicalFileInfo(new FileInfo(Path.GetFullPath(configured, environment.ContentRootPath)))
            : environment.WebRootFileProvider.GetFileInfo("app/persisted-documents.json");
        documents = Load(file, logger).ToFrozenDictionary(StringComparer.Ordinal);
        LogLoaded(logger, documents.Count, file.PhysicalPath ?? file.Name);
    }

    public int Count => documents.Count;

    /// <summary>Every loaded document by its id (what the warm-up picks its queries from).</summary>
    public IReadOnlyDictionary<string, string> All => documents;

    /// <summary>The document for a <c>documentId</c> (<c>sha256:…</c>), or null.</summary>
    public string? Find(string documentId) => documents.GetValueOrDefault(documentId);

    /// <summary>The document for an APQ <c>extensions.persistedQuery.sha256Hash</c> (hex, no prefix), or null.</summary>
    public string? FindByHash(string sha256Hex) => documents.GetValueOrDefault(Prefix + sha256Hex.ToLowerInvariant());

    private static Dictionary<string, string> Load(IFileInfo file, ILogger logger)
    {
        var loaded = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!file.Exists)
        {
            return loaded;
        }

        using var stream = file.CreateReadStream();
        var entries = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
        foreach (var (id, text) in entries)
        {
            if (id == Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))))
            {
                loaded[id] = text;
            }
            else
            {
                LogMismatch(logger, id);
            }
        }

        return loaded;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} persisted GraphQL documents loaded from {Path}")]
    private static partial void LogLoaded(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Persisted document {Id} is not the SHA-256 of its text; not loaded")]
    private static partial void LogMismatch(ILogger logger, string id);
}
