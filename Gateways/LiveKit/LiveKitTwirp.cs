using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WgStream.Gateways.LiveKit;

/// <summary>
/// One call to LiveKit's server API, which is Twirp over JSON: <c>POST {Url}/twirp/{service}/{method}</c>
/// with a JSON body and a bearer token carrying the grant the method needs. A non-2xx answer is
/// logged (status and the start of LiveKit's error text, never the token) and thrown.
/// </summary>
public sealed partial class LiveKitTwirp(HttpClient http, LiveKitTokens tokens, IOptions<LiveKitOptions> options, ILogger<LiveKitTwirp> logger)
{
    /// <summary>Who the Api is in the tokens it signs for its own calls.</summary>
    private const string Identity = "wg-stream-api";

    public async Task<JsonElement> CallAsync(string service, string method, object body, IReadOnlyDictionary<string, object> grant, CancellationToken cancellationToken)
    {
        var token = tokens.Create(Identity, grant, TimeSpan.FromMinutes(10));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.Value.Url.TrimEnd('/')}/twirp/{service}/{method}")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            LogRefused(method, (int)response.StatusCode, text.Length > 500 ? text[..500] : text);
            throw new LiveKitException($"LiveKit {method} answered {(int)response.StatusCode}.");
        }

        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new LiveKitException($"LiveKit {method} answered with something that is not JSON.", e);
        }
    }

    /// <summary>Twirp servers answer with proto names or JSON names depending on their settings: take either.</summary>
    public static string? Read(JsonElement element, string jsonName, string protoName) =>
        Property(element, jsonName, protoName) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>A field by its JSON or proto name; null when absent (proto3 JSON leaves out default values).</summary>
    public static JsonElement? Property(JsonElement element, string jsonName, string protoName) =>
        element.ValueKind == JsonValueKind.Object
        && (element.TryGetProperty(jsonName, out var value) || element.TryGetProperty(protoName, out value))
            ? value
            : null;

    [LoggerMessage(Level = LogLevel.Error, Message = "LiveKit {Method} failed with {Status}: {Body}")]
    private partial void LogRefused(string method, int status, string body);
}

/// <summary>LiveKit refused a call or answered something unreadable.</summary>
public sealed class LiveKitException(string message, Exception? inner = null) : Exception(message, inner);
