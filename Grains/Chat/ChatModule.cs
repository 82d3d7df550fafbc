using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WgStream.Grains.Chat.AutoMod;
using WgStream.Grains.Chat.Emotes;

namespace WgStream.Grains.Chat;

public static class ChatModule
{
    /// <summary>
    /// Chat on a silo: options, history, the moderation log, reports, AutoMod's held messages and
    /// lexicon, and channel emotes with this silo's emote cache (loaded before the silo takes grain
    /// calls, then kept current from the <c>emotes</c> stream).
    /// </summary>
    public static ISiloBuilder AddChat(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<ChatOptions>().Bind(configuration.GetSection(ChatOptions.Section));
        services.AddSingleton<ChatMessageStore>();
        services.AddSingleton<ModerationLogStore>();
        services.AddSingleton<ReportStore>();
        services.AddSingleton<HeldMessageStore>();
        services.AddSingleton<AutoModLexicon>();
        services.AddWgStreamEmotes(configuration);
        services.AddSingleton<EmoteWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<EmoteWatcher>());
        silo.AddStartupTask((sp, ct) => sp.GetRequiredService<EmoteWatcher>().SiloActiveAsync(ct));
        return silo;
    }
}
