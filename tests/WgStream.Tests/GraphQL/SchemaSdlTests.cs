using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.GraphQL;

/// <summary>
/// The web client's typed operations are generated from web/schema.graphql; this keeps that copy
/// equal to the schema the Api serves, so a changed field breaks the build instead of the page.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SchemaSdlTests(ApiFixture fixture)
{
    private static string CommittedSchema => Path.Combine(RepoPaths.Root, "web", "schema.graphql");

    [Fact]
    public async Task The_web_clients_schema_copy_matches_the_served_schema()
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        using var response = await http.GetAsync("/graphql/schema.graphql");
        response.EnsureSuccessStatusCode();
        var served = await response.Content.ReadAsStringAsync();
        Assert.Contains("type Query {", served, StringComparison.Ordinal);

        // WG_UPDATE_SCHEMA=1 rewrites the copy (then `npm run codegen` in web/ regenerates the types).
        if (Environment.GetEnvironmentVariable("WG_UPDATE_SCHEMA") == "1")
        {
            await File.WriteAllTextAsync(CommittedSchema, served);
        }

        var committed = await File.ReadAllTextAsync(CommittedSchema);
        Assert.True(
            committed == served,
            "web/schema.graphql differs from GET /graphql/schema.graphql: run the tests with WG_UPDATE_SCHEMA=1 (or curl it) and rebuild the web client.");
    }
}
