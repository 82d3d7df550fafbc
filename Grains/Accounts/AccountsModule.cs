using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Grains.Accounts;

public static class AccountsModule
{
    /// <summary>
    /// Accounts on a silo: options, the account tables, password hashing, account mail, erasure,
    /// user blocks, and site bans with this silo's copy of the banned list (loaded before the silo
    /// takes grain calls, then kept current from the <c>site-bans</c> stream).
    /// </summary>
    public static ISiloBuilder AddAccounts(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<AccountOptions>().Bind(configuration.GetSection(AccountOptions.Section));
        services.AddSingleton<AccountStore>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<AccountMail>();
        services.AddSingleton<AccountErasureStore>();
        services.AddSingleton<UserBlockStore>();
        services.AddAdminOptions(configuration);
        services.AddOptions<SiteBanOptions>().Bind(configuration.GetSection(SiteBanOptions.Section));
        services.AddSingleton<SiteBanStore>();
        services.AddSingleton<SiteBannedUsers>();
        services.AddSingleton<SiteBanWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<SiteBanWatcher>());
        silo.AddStartupTask((sp, ct) => sp.GetRequiredService<SiteBanWatcher>().SiloActiveAsync(ct));
        return silo;
    }
}
