using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WgStream.GrainInterfaces.Accounts;

/// <summary>
/// Bound from the <c>Admin</c> section: the platform's operators. Silos read it too (a site ban
/// refuses to ban an operator), so in a cluster of separate silos every silo and Api node needs
/// the same list.
/// </summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>
    /// User ids of the platform's operators, e.g. <c>WG_Admin__UserIds__0=3f2b…</c>. Ids, not
    /// usernames: a username can be changed and then claimed by someone else, an id never moves.
    /// </summary>
    public List<Guid> UserIds { get; set; } = [];
}

public static class AdminOptionsRegistration
{
    /// <summary>
    /// Binds <see cref="AdminOptions"/> once: an Api that co-hosts a silo registers both, and
    /// binding a list twice would add every id twice.
    /// </summary>
    public static IServiceCollection AddAdminOptions(this IServiceCollection services, IConfiguration configuration)
    {
        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<AdminOptions>)))
        {
            services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.Section));
        }

        return services;
    }
}
