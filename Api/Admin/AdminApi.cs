using WgStream.Api.GraphQL;
using WgStream.Api.Hosting;

namespace WgStream.Api.Admin;

/// <summary>The operators' side: site bans, categories with their art, and the Orleans dashboard.</summary>
public static class AdminApi
{
    public static IServiceCollection AddAdminApi(this IServiceCollection services)
    {
        services.AddSingleton<ISchemaContributor, AdminSchema>();
        return services;
    }

    public static WebApplication MapAdminApi(this WebApplication app)
    {
        app.MapCategoryImages();
        app.MapAdminDashboard();
        return app;
    }
}
