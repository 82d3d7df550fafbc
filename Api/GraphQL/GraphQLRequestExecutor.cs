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
public sealed class GraphQLRequestExecutor(
    IDocumentExecuter<WgSchema> executer,
    DocumentCache documents,
    PersistedDocuments persisted,
    Microsoft.Extensions.Options.IOptions<GraphQLOptions> options)
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

        var cached = documents.Find(request.Query);
        GraphQLDocument document;
        DocumentShape shape;
        if (cached is not null)
        {
            (document, shape) = (cached.Document, cached.Shape);
        }
        else
        {
            try
            {
                document = Parser.Parse(request.Query, new ParserOptions { MaxDepth = 64 });
            }
            catch (GraphQLSyntaxErrorException e)
            {
                return PreparedRequest.Invalid(e.Message);
            }
            catch (GraphQLMaxDepthExceededException)
            {
                return PreparedRequest.Invalid("The query is nested too deeply.", ErrorCodes.QueryTooComplex);
            }

            // Before any validation rule: some of them cost what the expanded document costs.
            shape = DocumentShape.Measure(document);
            if (shape.Exceeds(options.Value) is { } tooMuch)
            {
                return PreparedRequest.Invalid(tooMuch, ErrorCodes.QueryTooComplex);
            }
        }

        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var operation = request.OperationName is { Length: > 0 } name
            ? operations.FirstOrDefault(o => o.Name?.StringValue == name)
            : operations.Count == 1 ? operations[0] : null;
        return new PreparedRequest(request, document, operation, null) { Validated = cached is not null, Persisted = byId, Shape = shape };
    }

    /// <summary>
    /// What an anonymous client may not run: with <see cref="GraphQLOptions.PersistedOnly"/>, anything
    /// but the persisted documents; without <see cref="GraphQLOptions.AnonymousIntrospection"/>,
    /// introspection. The refusal to send, or null when the request may run.
    /// </summary>
    public static PreparedRequest? RefuseForAnonymous(PreparedRequest prepared, GraphQLOptions options, bool signedIn) =>
        signedIn ? null
        : options.PersistedOnly && !prepared.Persisted
            ? PreparedRequest.Invalid("This server runs only the web client's persisted documents for anonymous clients; send a documentId, or sign in.", ErrorCodes.PersistedQueryRequired)
        : !options.AnonymousIntrospection && prepared.Shape?.Introspects == true
            ? PreparedRequest.Invalid("Introspection (__schema, __type) is for signed-in clients on this server; sign in.", ErrorCodes.IntrospectionDisabled)
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
        var limits = options.Value;
        // A subscription's execution is its setup; its events are bounded by what the server publishes.
        var bounded = prepared.Operation is not OperationType.Subscription;
        using var budget = bounded ? new ResultBudget(limits.MaxResultNodes, cancellationToken) : null;
        user.Budget = budget;
        ExecutionResult result;
        try
        {
            result = await executer.ExecuteAsync(new ExecutionOptions
            {
                Query = prepared.Request.Query,
                Document = prepared.Document,
                OperationName = prepared.Request.OperationName,
                Variables = prepared.Request.Variables,
                Extensions = prepared.Request.Extensions,
                UserContext = user,
                RequestServices = services,
                CancellationToken = budget?.Token ?? cancellationToken,
                // Only a read is cut short. A mutation's grain calls go on after a timeout answer, so
                // TIMEOUT would tell the client a change failed that then happened (an account
                // created, its session token lost); its work is bounded by the cluster's call timeout.
                Timeout = bounded && prepared.Operation is not OperationType.Mutation ? limits.ExecutionTimeout : Timeout.InfiniteTimeSpan,
                TimeoutAction = global::GraphQL.Execution.TimeoutAction.ReturnTimeoutError,
                // A cached document passed every rule before. The builder appends the complexity rule to
                // this set, as to the full one: its outcome depends on the request's variables.
                ValidationRules = prepared.Validated ? [] : null,
            });
        }
        catch (OperationCanceledException) when (budget is { Exceeded: true } && !cancellationToken.IsCancellationRequested)
        {
            return Refused($"The answer would have more than {limits.MaxResultNodes} values; ask for fewer fields or smaller pages.", ErrorCodes.ResponseTooLarge);
        }
        finally
        {
            user.Budget = null;
        }

        // Executed means validation passed; a document that failed never goes in.
        if (!prepared.Validated && result.Executed && prepared.Document is { } document && prepared.Shape is { } shape)
        {
            documents.Add(prepared.Request.Query!, new CachedDocument(document, shape));
        }

        return result;
    }

    /// <summary>What a client is told, on either transport, when an answer outgrows <see cref="GraphQLOptions.MaxResponseBytes"/>.</summary>
    public static string ResponseTooLargeMessage(GraphQLOptions options) =>
        $"The answer is larger than {options.MaxResponseBytes} bytes; ask for fewer fields or smaller pages.";

    /// <summary>An answer that ran but was refused as a whole: no data, one error.</summary>
    public static ExecutionResult Refused(string message, string code)
    {
        var result = new ExecutionResult { Executed = true };
        result.AddError(new ExecutionError(message) { Code = code });
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

    /// <summary>What the document asks for (null when it could not be parsed).</summary>
    public DocumentShape? Shape { get; init; }

    /// <summary>The code for <see cref="Error"/>.</summary>
    public string ErrorCode { get; init; } = ErrorCodes.BadUserInput;

    public OperationType? Operation => Definition?.Operation;

    public static PreparedRequest Invalid(string error, string code = ErrorCodes.BadUserInput) => new(new GraphQLRequest(), null, null, error) { ErrorCode = code };
}
