namespace WgStream.Api.Previews;

public static class PreviewsApi
{
    /// <summary>Link previews for the channel and video pages; other features add their routes with <see cref="AddPagePreviewResolver{T}"/>.</summary>
    public static IServiceCollection AddPreviewsApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PreviewOptions>().Bind(configuration.GetSection(PreviewOptions.Section));
        services.AddSingleton<IndexPageTemplate>();
        services.AddSingleton<PagePreviews>();
        services.AddPagePreviewResolver<ChannelPreviewResolver>();
        services.AddPagePreviewResolver<VideoPreviewResolver>();
        return services;
    }

    /// <summary>One more client route with a link preview (a clip page, say).</summary>
    public static IServiceCollection AddPagePreviewResolver<T>(this IServiceCollection services)
        where T : class, IPagePreviewResolver
    {
        services.AddSingleton<IPagePreviewResolver, T>();
        return services;
    }
}
