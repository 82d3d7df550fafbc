using GraphQL;
using GraphQL.Utilities;

namespace WgStream.Api.GraphQL;

/// <summary>
/// Serves the schema as SDL at <c>/graphql/schema.graphql</c>. The web client generates its
/// typed operations from a committed copy (web/schema.graphql), and a test compares that copy
/// with this output, so the client cannot silently drift from the API.
/// </summary>
public static class SchemaSdlEndpoint
{
    public const string Path = "/graphql/schema.graphql";

    public static void MapSchemaSdl(this WebApplication app) => app.MapGet(Path, (WgSchema schema) =>
    {
        schema.Initialize();
        var sdl = schema.Print(new PrintOptions { IncludeDescriptions = true, IncludeDeprecationReasons = true });
        return Results.Text(sdl.ReplaceLineEndings("\n").TrimEnd() + "\n", "text/plain; charset=utf-8");
    });
}
