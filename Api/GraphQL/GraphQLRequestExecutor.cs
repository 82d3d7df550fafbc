using GraphQL;
using GraphQL.Transport;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using WgStream.Api.Auth;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.GraphQL;

/// <summary>
/// Runs one GraphQL request for either transport. The document is parsed here, once, so that the
/// transport can look at the operation type first (GET and mutations do not mix) and hand the
/// parsed document to the executer; a document seen and validated before comes from the
/// <see cref="DocumentCache"/> instead, already parsed and with only the per-request rules to run.
/// </summary>
public sealed class GraphQLRequestExecutor(IDocumentExecuter<WgSchema> executer, DocumentCache documents, PersistedDocuments persisted)
{
    public PreparedRequest Prepare(GraphQLRequest request)
    {
        var byId = false;
        if (string.IsNullOrWhiteSpace(request.Query) && PersistedId(request) is { } id)
        {
            var text = id.IsHash ? persisted.FindByHash(id.Value) : persisted.Find(id.Value);
            if (text is null)
            {
                return PreparedRequest.Invalid("No persisted document has this id; send the document's text.", ErrorCodes.PersistedQueryNotFound);
            }

            request = new GraphQLRequest
            {
                Query = text,
                DocumentId = request.DocumentId,
                OperationName = request.OperationName,
                Variables = request.Variables,
                Extensions = request.Extensions,
            };
            byId = true;
        }

        if (string.IsNullOrWhiteSpace(request.Query))
        {
            return PreparedRequest.Invalid("The request has no query.");
        }

        var document = documents.Find(request.Query);
        var validated = document is not null;
        try
        {
            document ??= Parser.Parse(request.Query, new ParserOptions { MaxDepth = 64 });
        }
        catch (GraphQLSyntaxErrorException e)
        {
            return PreparedRequest.Invalid(e.Message);
        }
        catch (GraphQLMaxDepthExceededException)
        {
            return PreparedRequest.Invalid("The query is nested too deeply.");
        }

        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var operation = request.OperationName is { Length: > 0 } name
            ? operations.FirstOrDefault(o => o.Name?.StringValue == name)
            : operations.Count == 1 ? operations[0] : null;
        return new PreparedRequest(request, document, operation, null) { Validated = validated, Persisted = byId };
    }

    /// <summary>
    /// With <see cref="GraphQLOptions.PersistedOnly"/>, an anonymous client may run persisted documents only;
    /// the refusal to send, or null when the request may run.
    /// </summary>
    public static PreparedRequest? RefuseUnpersisted(PreparedRequest prepared, GraphQLOptions options, bool signedIn) =>
        options.PersistedOnly && !prepared.Persisted && !signedIn
            ? PreparedRequest.Invalid("This server runs only the web client's persisted documents for anonymous clients; send a documentId, or sign in.", ErrorCodes.PersistedQueryRequired)
            : null;

    /// <summary><c>documentId</c> (graphql-over-http), or APQ's <c>extensions.persistedQuery.sha256Hash</c>.</summary>
    private static (string Value, bool IsHash)? PersistedId(GraphQLRequest request)
    {
        if (request.DocumentId is { Length: > 0 } documentId)
        {
            return (documentId, false);
        }

        return request.Extensions?.TryGetValue("persistedQuery", out var apq) == true
            && apq is IDictionary<string, object?> fields
            && fields.TryGetValue("sha256Hash", out var hash) && hash is string { Length: > 0 } hex
                ? (hex, true)
                : null;
    }

    public async Task<ExecutionResult> ExecuteAsync(PreparedRequest prepared, WgUserContext user, IServiceProvider services, CancellationToken cancellationToken)
    {
        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = prepared.Request.Query,
            Document = prepared.Document,
            OperationName = prepared.Request.OperationName,
            Variables = prepared.Request.Variables,
            Extensions = prepared.Request.Extensions,
            UserContext = user,
            RequestServices = services,
            CancellationToken = cancellationToken,
            // A cached document passed every rule before. The builder appends the complexity rule to
            // this set, as to the full one: its outcome depends on the request's variables.
            ValidationRules = prepared.Validated ? [] : null,
        });

        // Executed means validation passed; a document that failed never goes in.
        if (!prepared.Validated && result.Executed && prepared.Document is { } document)
        {
            documents.Add(prepared.Request.Query!, document);
        }

        return result;
    }
}

/// <summary>A request after parsing: its document and the operation to run, or why it cannot run.</summary>
public sealed record PreparedRequest(GraphQLRequest Request, GraphQLDocument? Document, GraphQLOperationDefinition? Definition, string? Error)
{
    /// <summary>The document came from the <see cref="DocumentCache"/>: it validated before, exactly as written.</summary>
    public bool Validated { get; init; }

    /// <summary>The client named a persisted document by id instead of sending its text.</summary>
    public bool Persisted { get; init; }

    /// <summary>The code for <see cref="Error"/>.</summary>
    public string ErrorCode { get; init; } = ErrorCodes.BadUserInput;

    public OperationType? Operation => Definition?.Operation;

    public static PreparedRequest Invalid(string error, string code = ErrorCodes.BadUserInput) => new(new GraphQLRequest(), null, null, error) { ErrorCode = code };
}
