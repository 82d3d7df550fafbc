using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.GraphQL;

/// <summary>
/// Persisted documents by id (graphql-over-http <c>documentId</c>, and APQ's <c>sha256Hash</c>) on
/// an Api with <c>GraphQL:PersistedOnly</c> on, over HTTP and graphql-transport-ws.
/// </summary>
[Collection(PersistedOnlyCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class PersistedDocumentsTests(PersistedOnlyFixture fixture)
{
    [Fact]
    public async Task A_persisted_document_runs_by_id_and_by_APQ_hash_for_anyone()
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var byId = await PostAsync(http, new { documentId = PersistedOnlyFixture.ProbeId });
        Assert.Equal(HttpStatusCode.OK, byId.Status);
        Assert.Equal("Query", byId.Root.GetProperty("data").GetProperty("__typename").GetString());

        var apq = await PostAsync(http, new { extensions = new { persistedQuery = new { version = 1, sha256Hash = PersistedOnlyFixture.ProbeId["sha256:".Length..] } } });
        Assert.Equal("Query", apq.Root.GetProperty("data").GetProperty("__typename").GetString());
    }

    [Fact]
    public async Task An_unknown_id_is_PERSISTED_QUERY_NOT_FOUND_and_a_tampered_entry_was_never_loaded()
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var unknown = await PostAsync(http, new { documentId = "sha256:" + new string('0', 64) });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", Code(unknown.Root));

        // In the file, but its id is not the hash of its text.
        var tampered = await PostAsync(http, new { documentId = PersistedOnlyFixture.TamperedId });
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", Code(tampered.Root));
    }

    [Fact]
    public async Task PersistedOnly_refuses_text_from_anonymous_clients_and_lets_signed_in_ones_send_it()
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var anonymous = await PostAsync(http, new { query = "{ __typename }" });
        Assert.Equal(HttpStatusCode.BadRequest, anonymous.Status);
        Assert.Equal("PERSISTED_QUERY_REQUIRED", Code(anonymous.Root));

        var token = await fixture.RegisterWithIdAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "{ me { username } }" }) };
        request.Headers.Authorization = new("Bearer", token);
        using var signedIn = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.False(JsonDocument.Parse(await signedIn.Content.ReadAsStringAsync()).RootElement.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task With_anonymous_introspection_off_only_signed_in_clients_introspect()
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var anonymous = await PostAsync(http, new { documentId = PersistedOnlyFixture.TypesId });
        Assert.Equal(HttpStatusCode.BadRequest, anonymous.Status);
        Assert.Equal("INTROSPECTION_DISABLED", Code(anonymous.Root));
        // __typename is not introspection: the probe still runs.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, new { documentId = PersistedOnlyFixture.ProbeId })).Status);

        var token = await fixture.RegisterWithIdAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { documentId = PersistedOnlyFixture.TypesId }) };
        request.Headers.Authorization = new("Bearer", token);
        using var signedIn = await http.SendAsync(request);
        var root = JsonDocument.Parse(await signedIn.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Query", root.GetProperty("data").GetProperty("__schema").GetProperty("queryType").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Over_graphql_transport_ws_the_same_rules_hold()
    {
        await using var socket = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await socket.InitAsync();
        await socket.SendAsync(new { id = "text", type = "subscribe", payload = new { query = "{ __typename }" } });
        var refused = await socket.ReceiveAsync();
        Assert.Equal("error", refused!.Value.GetProperty("type").GetString());
        Assert.Equal("PERSISTED_QUERY_REQUIRED", refused.Value.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());

        await socket.SendAsync(new { id = "by-id", type = "subscribe", payload = new { query = "", documentId = PersistedOnlyFixture.ProbeId } });
        var next = await socket.ReceiveAsync();
        Assert.Equal("next", next!.Value.GetProperty("type").GetString());
        Assert.Equal("Query", next.Value.GetProperty("payload").GetProperty("data").GetProperty("__typename").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Root)> PostAsync(HttpClient http, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(body) };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static string? Code(JsonElement root) => root.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString();
}

/// <summary>An Api with production's GraphQL switches (<c>PersistedOnly</c> on, anonymous introspection off) and a persisted-documents file this fixture writes.</summary>
public sealed class PersistedOnlyFixture : ApiFixture
{
    public const string Probe = "query Probe { __typename }";

    /// <summary>Signing up is anonymous, so under PersistedOnly it too must be a persisted document (the web client's is).</summary>
    public const string Register = "mutation Register($i: RegisterInput!) { register(input: $i) { token } }";

    public static readonly string ProbeId = Id(Probe);

    /// <summary>Introspection, persisted: allowed to signed-in clients only (<c>GraphQL:AnonymousIntrospection</c> is off here, as in production).</summary>
    public const string Types = "query Types { __schema { queryType { name } } }";

    public static readonly string TypesId = Id(Types);

    public static readonly string TamperedId = Id("query Harmless { __typename }");

    private readonly string manifest = Path.Combine(Path.GetTempPath(), $"wg-persisted-{Guid.NewGuid():N}.json");

    protected override IDictionary<string, string> Settings
    {
        get
        {
            // The tampered entry claims the id of a harmless document but holds another text.
            File.WriteAllText(manifest, JsonSerializer.Serialize(new Dictionary<string, string>
            {
                [ProbeId] = Probe,
                [Id(Register)] = Register,
                [TamperedId] = "query Other { me { email } }",
                [TypesId] = Types,
            }));
            return new Dictionary<string, string>
            {
                ["WG_GraphQL__PersistedOnly"] = "true",
                ["WG_GraphQL__AnonymousIntrospection"] = "false",
                ["WG_GraphQL__PersistedDocumentsPath"] = manifest,
            };
        }
    }

    /// <summary>Signs up by the persisted id, as the web client would; returns the session token.</summary>
    public async Task<string> RegisterWithIdAsync()
    {
        var username = $"p{Guid.NewGuid():N}"[..20];
        using var http = new HttpClient { BaseAddress = Api.BaseAddress };
        using var response = await http.PostAsJsonAsync("/graphql", new
        {
            documentId = Id(Register),
            variables = new { i = new { username, email = $"{username}@example.test", password = "correct-Horse-7" } },
        });
        var body = await response.Content.ReadAsStringAsync();
        var root = JsonDocument.Parse(body).RootElement;
        return root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            ? data.GetProperty("register").GetProperty("token").GetString()!
            : throw new InvalidOperationException($"Signing up by the persisted id failed: {body}");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(manifest);
    }

    private static string Id(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

[CollectionDefinition(Name)]
public sealed class PersistedOnlyCollection : ICollectionFixture<PersistedOnlyFixture>
{
    public const string Name = "PersistedOnly";
}
