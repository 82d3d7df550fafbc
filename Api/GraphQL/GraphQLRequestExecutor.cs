using GraphQL;
using GraphQL.Transport;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using WgStream.Api.Auth;

namespace WgStream.Api.GraphQL;

/// <summary>
/// Runs one GraphQL request for either transport. The document is parsed here, once, so that the
/// transport can look at the operation type first (GET and mutations do not mix) and hand the
/// parsed document to the executer; a document seen and validated before comes from the
/// <see cref="DocumentCache"/> instead, already parsed and with only the per-request rules to run.
/// </summary>
public sealed class GraphQLRequestExecutor(IDocumentExecuter<WgSchema> executer, DocumentCache documents)
{
    public PreparedRequest Prepare(GraphQLRequest request)
    {
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
        return new PreparedRequest(request, document, operation, null) { Validated = validated };
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

    public OperationType? Operation => Definition?.Operation;

    public static PreparedRequest Invalid(string error) => new(new GraphQLRequest(), null, null, error);
}
