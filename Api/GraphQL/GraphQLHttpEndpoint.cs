using WgStream.Api.Hosting;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WgStream.Api.Auth;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.GraphQL;

/// <summary>
/// GraphQL over HTTP (graphql-over-http spec): POST with a JSON body, GET with query-string
/// parameters for queries only. With <c>Accept: application/graphql-response+json</c> a request that
/// cannot execute gets 400; with plain <c>application/json</c> it gets 200, as the spec says for
/// legacy clients. A request that is not GraphQL at all (bad JSON, no query) is always 400.
/// </summary>
public static class GraphQLHttpEndpoint
{
    public const string GraphQLResponseMediaType = "application/graphql-response+json";
    private const string JsonMediaType = "application/json";

    public static async Task HandleAsync(
        HttpContext http,
        GraphQLRequestExecutor executor,
        IGraphQLTextSerializer serializer,
        SessionAuthenticator authenticator,
        IOptions<GraphQLOptions> options,
        ILoggerFactory loggers)
    {
        try
        {
            await HandleCoreAsync(http, executor, serializer, authenticator, options);
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            // Outside a resolver (authenticating the session, say) the cluster may be briefly
            // unreachable, for instance while a failed silo is being declared dead. That is a
            // 503 the client can retry, with the stable code, never a bare 500.
            loggers.CreateLogger(typeof(GraphQLHttpEndpoint)).LogError(e, "GraphQL request failed outside execution");
            http.Response.Headers.RetryAfter = "1";
            await WriteRequestErrorAsync(http, serializer, StatusCodes.Status503ServiceUnavailable, NegotiateResponseType(http.Request) ?? JsonMediaType,
                "The service is briefly unavailable; try again.", ErrorCodes.Unavailable);
        }
    }

    private static async Task HandleCoreAsync(
        HttpContext http,
        GraphQLRequestExecutor executor,
        IGraphQLTextSerializer serializer,
        SessionAuthenticator authenticator,
        IOptions<GraphQLOptions> options)
    {
        var responseType = NegotiateResponseType(http.Request);
        if (responseType is null)
        {
            await WriteRequestErrorAsync(http, serializer, StatusCodes.Status406NotAcceptable, JsonMediaType,
                "Accept application/graphql-response+json or application/json.");
            return;
        }

        var (request, error, status) = await ReadRequestAsync(http, serializer, options.Value);
        if (request is null)
        {
            await WriteRequestErrorAsync(http, serializer, status, responseType, error!);
            return;
        }

        var prepared = executor.Prepare(request);
        if (prepared.Error is not null)
        {
            await WriteRequestErrorAsync(http, serializer, StatusCodes.Status400BadRequest, responseType, prepared.Error, prepared.ErrorCode);
            return;
        }

        if (HttpMethods.IsGet(http.Request.Method) && prepared.Operation is not null and not OperationType.Query)
        {
            http.Response.Headers.Allow = "POST";
            await WriteRequestErrorAsync(http, serializer, StatusCodes.Status405MethodNotAllowed, responseType,
                $"A {prepared.Operation.ToString()!.ToLowerInvariant()} must be sent with POST.");
            return;
        }

        if (prepared.Operation is OperationType.Subscription)
        {
            await WriteRequestErrorAsync(http, serializer, StatusCodes.Status400BadRequest, responseType,
                "Subscriptions run over WebSocket (graphql-transport-ws) at /graphql.");
            return;
        }

        var client = ClientInfoReader.Read(http);
        var token = SessionAuthenticator.ReadToken(http.Request);
        var principal = token is null ? null : await authenticator.AuthenticateAsync(token, client.IpAddress);
        if (token is not null && principal is null)
        {
            // A token that no longer works is an answer in itself; running the operation anonymously
            // would hide from the client that it has been signed out.
            SessionAuthenticator.ClearCookie(http);
            await WriteRequestErrorAsync(http, serializer, StatusCodes.Status401Unauthorized, responseType,
                "The session has ended or the token is invalid; sign in again.", ErrorCodes.Unauthenticated);
            return;
        }

        if (GraphQLRequestExecutor.RefuseForAnonymous(prepared, options.Value, principal is not null) is { } refused)
        {
            await WriteRequestErrorAsync(http, serializer, StatusCodes.Status400BadRequest, responseType, refused.Error!, refused.ErrorCode);
            return;
        }

        var user = new WgUserContext(principal, client, http) { Language = ClientInfoReader.Language(http) };
        var result = await executor.ExecuteAsync(prepared, user, http.RequestServices, http.RequestAborted);

        http.Response.StatusCode = result.Executed || responseType == JsonMediaType
            ? StatusCodes.Status200OK
            : StatusCodes.Status400BadRequest;
        http.Response.ContentType = $"{responseType}; charset=utf-8";
        var json = http.RequestServices.GetRequiredService<GraphQLJson>();
        using var body = json.TryWrite(result, options.Value.MaxResponseBytes);
        if (body is null)
        {
            // Nothing was sent yet: the client gets a whole, small answer instead of a cut-off one.
            await serializer.WriteAsync(http.Response.Body, GraphQLRequestExecutor.Refused(
                GraphQLRequestExecutor.ResponseTooLargeMessage(options.Value), ErrorCodes.ResponseTooLarge), http.RequestAborted);
            return;
        }

        http.Response.ContentLength = body.WrittenMemory.Length;
        await http.Response.Body.WriteAsync(body.WrittenMemory, http.RequestAborted);
    }

    private static string? NegotiateResponseType(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept.ToArray().OfType<string>().ToList(), out var accepted) || accepted.Count == 0)
        {
            return JsonMediaType;
        }

        foreach (var media in accepted.OrderByDescending(m => m.Quality ?? 1))
        {
            if (media.Quality == 0)
            {
                continue;
            }

            var type = media.MediaType.Value;
            if (string.Equals(type, GraphQLResponseMediaType, StringComparison.OrdinalIgnoreCase))
            {
                return GraphQLResponseMediaType;
            }

            if (string.Equals(type, JsonMediaType, StringComparison.OrdinalIgnoreCase) || type is "*/*" or "application/*")
            {
                return JsonMediaType;
            }
        }

        return null;
    }

    private static async Task<(GraphQLRequest? Request, string? Error, int Status)> ReadRequestAsync(
        HttpContext http, IGraphQLTextSerializer serializer, GraphQLOptions options)
    {
        if (HttpMethods.IsGet(http.Request.Method))
        {
            var query = http.Request.Query;
            try
            {
                return (new GraphQLRequest
                {
                    Query = query["query"].ToString(),
                    OperationName = query["operationName"].ToString() is { Length: > 0 } op ? op : null,
                    Variables = query["variables"].ToString() is { Length: > 0 } v ? serializer.Deserialize<Inputs>(v) : null,
                    Extensions = query["extensions"].ToString() is { Length: > 0 } e ? serializer.Deserialize<Inputs>(e) : null,
                }, null, 0);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                return (null, "The variables or extensions parameter is not a JSON object.", StatusCodes.Status400BadRequest);
            }
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !string.Equals(contentType.MediaType.Value, JsonMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return (null, "Send the request as application/json.", StatusCodes.Status415UnsupportedMediaType);
        }

        if (!RequestBodyLimit.Apply(http, options.MaxRequestBytes))
        {
            return (null, "The request body is too large.", StatusCodes.Status413PayloadTooLarge);
        }

        try
        {
            using var buffer = new MemoryStream();
            try
            {
                await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            }
            catch (BadHttpRequestException e) when (RequestBodyLimit.IsTooLarge(e))
            {
                return (null, "The request body is too large.", StatusCodes.Status413PayloadTooLarge);
            }
            catch (BadHttpRequestException e)
            {
                // Shorter than its Content-Length, broken chunking, or sent too slowly: the client's doing.
                return (null, $"The request body could not be read: {e.Message}", e.StatusCode);
            }
            catch (IOException e) when (!http.RequestAborted.IsCancellationRequested)
            {
                // Kestrel reports a chunk size that overflows as a bare IOException, not a BadHttpRequestException.
                return (null, $"The request body could not be read: {e.Message}", StatusCodes.Status400BadRequest);
            }

            if (buffer.Length > options.MaxRequestBytes)
            {
                return (null, "The request body is too large.", StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Position = 0;
            using var json = await JsonDocument.ParseAsync(buffer, cancellationToken: http.RequestAborted);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "The request body must be a JSON object.", StatusCodes.Status400BadRequest);
            }

            if (json.RootElement.TryGetProperty("query", out var q) && q.ValueKind != JsonValueKind.String)
            {
                return (null, "The query must be a string.", StatusCodes.Status400BadRequest);
            }

            foreach (var name in new[] { "variables", "extensions" })
            {
                if (json.RootElement.TryGetProperty(name, out var p) && p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                {
                    return (null, $"The {name} must be a JSON object.", StatusCodes.Status400BadRequest);
                }
            }

            // The document already parsed for the checks above is the request: no second pass over the bytes.
            var request = serializer.ReadNode<GraphQLRequest>(json.RootElement);
            return request is null
                ? (null, "The request body is empty.", StatusCodes.Status400BadRequest)
                : (request, null, 0);
        }
        catch (JsonException e)
        {
            return (null, $"The request body is not valid JSON: {e.Message}", StatusCodes.Status400BadRequest);
        }
    }

    private static async Task WriteRequestErrorAsync(HttpContext http, IGraphQLTextSerializer serializer, int status, string mediaType, string message, string code = ErrorCodes.BadUserInput)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = $"{mediaType}; charset=utf-8";
        var result = new ExecutionResult { Executed = false };
        result.AddError(new ExecutionError(message) { Code = code });
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }
}
