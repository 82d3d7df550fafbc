using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.GraphQL;

/// <summary>GraphQL over HTTP as the spec describes it, and every way a request can be malformed.</summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class GraphQLHttpTests(ApiFixture fixture)
{
    private HttpClient Http { get; } = new() { BaseAddress = fixture.Api.BaseAddress };

    [Theory]
    [InlineData("{\"query\": ", "not valid JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{}", "no query")]
    [InlineData("{\"query\": 42}", "must be a string")]
    [InlineData("{\"query\": \"{ me { id } }\", \"variables\": [1]}", "variables must be a JSON object")]
    [InlineData("{\"query\": \"{ me { id }\"}", "Expected")]
    public async Task Malformed_requests_get_400_with_a_clear_message(string body, string messagePart)
    {
        var (status, json) = await PostRawAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = json.GetProperty("errors")[0];
        Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("BAD_USER_INPUT", error.GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Other_content_types_get_415_and_unacceptable_accept_headers_406()
    {
        using var form = new StringContent("query={me{id}}", Encoding.UTF8, "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Http.PostAsync("/graphql", form)).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Json("{\"query\":\"{ me { id } }\"}") };
        request.Headers.Accept.ParseAdd("text/html");
        Assert.Equal(HttpStatusCode.NotAcceptable, (await Http.SendAsync(request)).StatusCode);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Http.DeleteAsync("/graphql")).StatusCode);
    }

    [Fact]
    public async Task Get_runs_queries_but_refuses_mutations_with_405()
    {
        var ok = await Http.GetAsync("/graphql?query=" + Uri.EscapeDataString("query Q($x: Boolean!) { me @include(if: $x) { id } }") + "&variables=" + Uri.EscapeDataString("{\"x\":true}"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("me").ValueKind);

        var mutation = await Http.GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { logout }"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.StatusCode);
        Assert.Contains("POST", mutation.Content.Headers.Allow);

        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync("/graphql?query={me{id}}&variables=nope")).StatusCode);
    }

    [Fact]
    public async Task Validation_errors_are_400_for_graphql_response_json_and_200_for_legacy_json()
    {
        var client = fixture.CreateClient();
        var modern = await client.SendAsync("{ nope }");
        modern.AssertError("BAD_USER_INPUT", HttpStatusCode.BadRequest);
        var legacy = await client.SendAsync("{ nope }", accept: "application/json");
        legacy.AssertError("BAD_USER_INPUT", HttpStatusCode.OK);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Json("{\"query\":\"{ me { id } }\"}") };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        var response = await Http.SendAsync(request);
        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_fields_wrong_variable_types_and_missing_arguments_are_bad_input()
    {
        var client = fixture.CreateClient();
        (await client.SendAsync("mutation($i: RegisterInput!) { register(input: $i) { token } }",
            new { i = new { username = "abc", email = "a@b.cd", password = "correct-Horse-7", admin = true } })).AssertError("BAD_USER_INPUT");
        (await client.SendAsync("mutation($c: String!) { verifyEmail(code: $c) { id } }", new { c = 123456 })).AssertError("BAD_USER_INPUT");
        (await client.SendAsync("mutation { verifyEmail { id } }")).AssertError("BAD_USER_INPUT");
        (await client.SendAsync("subscription { securityEvents { kind } }")).AssertError("BAD_USER_INPUT");
    }

    [Fact]
    public async Task Over_deep_queries_are_refused_but_the_introspection_query_runs()
    {
        var client = fixture.CreateClient();
        var deep = "{ __schema { types { fields { type " + string.Concat(Enumerable.Repeat("{ ofType ", 14)) + "{ name }" + new string('}', 14) + " } } } }";
        var refused = await client.SendAsync(deep);
        refused.AssertError("QUERY_TOO_COMPLEX", HttpStatusCode.BadRequest);

        var introspection = await client.SendAsync(IntrospectionQuery);
        Assert.True(introspection.Succeeded, introspection.Body);
        var types = introspection.Data.GetProperty("__schema").GetProperty("types").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Contains("User", types);
        Assert.Contains("SecurityEvent", types);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<(HttpStatusCode Status, JsonElement Json)> PostRawAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Json(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        var response = await Http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    // The query GraphiQL sends on start-up (graphql-js getIntrospectionQuery()).
    private const string IntrospectionQuery = """
        query IntrospectionQuery {
          __schema {
            queryType { name } mutationType { name } subscriptionType { name }
            types { ...FullType }
            directives { name description locations args { ...InputValue } }
          }
        }
        fragment FullType on __Type {
          kind name description
          fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
          inputFields { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
        fragment TypeRef on __Type {
          kind name
          ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
        }
        """;
}
