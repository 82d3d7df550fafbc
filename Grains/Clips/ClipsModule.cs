using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WgStream.Grains.Clips;

public static class ClipsModule
{
    /// <summary>What the clip grains need on a silo: options (checked at start), the store, the cutter, this node's cut slots and the sweep.</summary>
    public static ISiloBuilder AddClips(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<ClipOptions>()
            .Bind(configuration.GetSection(ClipOptions.Section))
            .Validate(o => !o.Problems().Any(), "Invalid Clips settings (see docs/media.md, \"Clips\").")
            .ValidateOnStart();
        services.AddSingleton<ClipStore>();
        services.AddSingleton<ClipCutter>();
        services.AddSingleton<ClipCutSlots>();
        services.AddSingleton<ClipSweepService>();
        services.AddHostedService(sp => sp.GetRequiredService<ClipSweepService>());
        return silo;
    }
}
