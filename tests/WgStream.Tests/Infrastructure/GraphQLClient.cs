using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WgStream.Tests.Infrastructure;

/// <summary>
/// A small GraphQL-over-HTTP client for tests. Each client poses as its own address (through
/// X-Forwarded-For, which the test Api trusts from loopback) so per-IP rate limits of one test do
/// not leak into another.
/// </summary>
public sealed class GraphQLClient(HttpClient http)
{
    public string? Token { get; set; }

    public string ForwardedFor { get; set; } = RandomAddress();

    public static string RandomAddress() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    public async Task<GraphQLResponse> SendAsync(string query, object? variables = null, string accept = "application/graphql-response+json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = JsonContent.Create(new { query, variables }),
        };
        request.Headers.Accept.ParseAdd(accept);
        request.Headers.Add("X-Forwarded-For", ForwardedFor);
        if (Token is not null)
        {
            request.Headers.Authorization = new("Bearer", Token);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.False(string.IsNullOrEmpty(body), $"The API answered {(int)response.StatusCode} with an empty body.");
        return new GraphQLResponse(response.StatusCode, JsonDocument.Parse(body).RootElement.Clone(), body);
    }

    /// <summary>Sends and insists on success; returns <c>data</c>.</summary>
    public async Task<JsonElement> DataAsync(string query, object? variables = null)
    {
        var response = await SendAsync(query, variables);
        Assert.True(response.Succeeded, $"GraphQL call failed ({response.Status}): {response.Body}");
        return response.Data;
    }

    public async Task<TestAccount> RegisterAsync(string? username = null, string password = "correct-Horse-7")
    {
        username ??= $"u{Guid.NewGuid():N}"[..20];
        var email = $"{username.ToLowerInvariant()}@example.test";
        var data = await DataAsync(
            "mutation($i: RegisterInput!) { register(input: $i) { token user { id username email } } }",
            new { i = new { username, email, password } });
        var register = data.GetProperty("register");
        Token = register.GetProperty("token").GetString();
        return new TestAccount(Guid.Parse(register.GetProperty("user").GetProperty("id").GetString()!), username, email, password, Token!);
    }
}

public sealed record TestAccount(Guid Id, string Username, string Email, string Password, string Token);

public sealed record GraphQLResponse(HttpStatusCode Status, JsonElement Root, string Body)
{
    public bool Succeeded => Status == HttpStatusCode.OK && !Root.TryGetProperty("errors", out _);

    public JsonElement Data => Root.GetProperty("data");

    public JsonElement FirstError => Root.GetProperty("errors")[0];

    public string? ErrorCode => Root.TryGetProperty("errors", out var errors)
        && errors[0].TryGetProperty("extensions", out var extensions)
        && extensions.TryGetProperty("code", out var code) ? code.GetString() : null;

    public void AssertError(string code, HttpStatusCode? status = null)
    {
        Assert.True(ErrorCode == code, $"Expected {code}, got ({Status}): {Body}");
        if (status is not null)
        {
            Assert.Equal(status, Status);
        }
    }
}
