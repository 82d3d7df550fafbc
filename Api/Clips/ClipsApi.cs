using WgStream.Api.GraphQL;
using WgStream.Api.Previews;

namespace WgStream.Api.Clips;

public static class ClipsApi
{
    /// <summary>The clips schema and the clip pages' link previews (the cutting itself runs on silos: AddWgStreamClips).</summary>
    public static IServiceCollection AddClipsApi(this IServiceCollection services)
    {
        services.AddSingleton<ISchemaContributor, ClipSchema>();
        services.AddPagePreviewResolver<ClipPreviewResolver>();
        return services;
    }
}
