using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WgStream.Grains.Infrastructure.Database;
using WgStream.Grains.Infrastructure.Secrets;
using WgStream.ServiceDefaults;
using WgStream.Gateways.Mail;

namespace WgStream.Grains.Infrastructure;

public static class InfrastructureModule
{
    /// <summary>What every feature's grains stand on: the database and its migrations, metrics, the clock, mail and secret encryption.</summary>
    public static ISiloBuilder AddInfrastructure(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));
        services.AddSingleton(_ => NpgsqlDataSource.Create(
            (configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions()).PooledConnectionString()));
        services.AddSingleton<SchemaMigrator>();
        silo.AddIncomingGrainCallFilter<TransientDatabaseFailureFilter>();
        services.TryAddWgMetrics();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section));
        services.AddSingleton<IMailSender>(sp =>
            string.Equals(configuration[$"{MailOptions.Section}:{nameof(MailOptions.Mode)}"], "Pickup", StringComparison.OrdinalIgnoreCase)
                ? ActivatorUtilities.CreateInstance<PickupDirectoryMailSender>(sp)
                : ActivatorUtilities.CreateInstance<SmtpMailSender>(sp));
        // Stream keys and TOTP secrets, under Streams:KeyEncryptionKey (bound by the Streams module).
        services.AddSingleton<SecretProtector>();
        return silo;
    }
}
