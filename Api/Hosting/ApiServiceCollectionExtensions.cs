using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WgStream.Api.Previews;
using Microsoft.AspNetCore.SignalR;
using GraphQL;
using GraphQL.Validation.Complexity;
using WgStream.Api.Accounts;
using WgStream.Api.Analytics;
using WgStream.Api.Auth;
using WgStream.Api.Channels;
using WgStream.Api.Chat;
using WgStream.Api.GraphQL;
using WgStream.Api.Streams;
using WgStream.Api.Videos;
using WgStream.Api.Clips;
using WgStream.Api.Notifications;
using WgStream.Api.Realtime;
using WgStream.Api.Sponsorship;
using WgStream.Grains.Accounts;
using WgStream.Grains.Chat.Emotes;
using WgStream.Grains.Infrastructure.Media;
using WgStream.Grains.Sponsorship;

namespace WgStream.Api.Hosting;

/// <summary>The Api's composition root: GraphQL, auth, and each feature's schema contributor.</summary>
public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddWgStreamApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GraphQLOptions>().Bind(configuration.GetSection(GraphQLOptions.Section));
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddOptions<HttpOptions>().Bind(configuration.GetSection(HttpOptions.Section));
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section));
        services.AddSingleton<OriginPolicy>();
        // For the cost of a login that names no account (the silo registers its own; a client node needs one).
        services.TryAddSingleton<WgStream.Grains.Accounts.PasswordHasher>();
        services.AddAdminOptions(configuration);
        services.AddOptions<SessionCookieOptions>().Configure(o =>
            o.Lifetime = configuration.GetSection(AccountOptions.Section).Get<AccountOptions>()?.SessionLifetime ?? o.Lifetime);

        services.AddOptions<ClusterCallOptions>().Bind(configuration.GetSection(ClusterCallOptions.Section));
        services.AddSingleton<ClusterRetry>();
        services.AddSingleton<SessionAuthenticator>();
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<WebSocketRegistry>();
        services.AddHostedService<SessionRevocationListener>();
        services.AddOptions<SessionSocketOptions>().Bind(configuration.GetSection(AccountOptions.Section));
        services.AddHostedService<SessionSocketSweep>();
        services.AddOptions<WarmUpOptions>().Bind(configuration.GetSection(WarmUpOptions.Section));
        services.AddSingleton<WarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<WarmUp>());
        services.AddSingleton<DocumentCache>();
        services.AddSingleton<PersistedDocuments>();
        services.AddSingleton<GraphQLRequestExecutor>();
        services.AddSingleton<GraphQLJson>();
        services.AddSingleton<SharedSubscriptions>();
        services.AddSingleton<NodeFeeds>();
        services.AddSingleton<KnownChannels>();

        services.AddWgStreamObservability(configuration);
        services.AddSingleton<ISchemaContributor, AccountSchema>();
        services.AddSingleton<ISchemaContributor, AccountLifecycleSchema>();
        services.AddSingleton<ISchemaContributor, UserBlockSchema>();
        services.AddSingleton<ViewerBlocks>();
        services.AddHostedService(sp => sp.GetRequiredService<ViewerBlocks>());
        services.AddSingleton<ISchemaContributor, ChannelSchema>();
        services.AddWgStreamMedia(configuration);
        services.AddSingleton<ISchemaContributor, ChatSchema>();
        services.AddWgStreamEmotes(configuration);
        services.AddSingleton<ISchemaContributor, EmoteSchema>();
        services.AddSingleton<ISchemaContributor, ChatSafetySchema>();
        services.AddSingleton<ISchemaContributor, AutoModSchema>();
        services.AddSingleton<ISchemaContributor, ReportSchema>();
        services.AddSingleton<Operators>();
        services.AddSingleton<ISchemaContributor, Admin.AdminSchema>();
        services.AddOptions<GeoOptions>().Bind(configuration.GetSection(GeoOptions.Section));
        services.AddSingleton<GeoLocator>();
        services.AddSingleton<ChatSender>();
        services.AddSingleton<ChatHubRooms>();
        services.AddSingleton<ChatHubHeldWatch>();
        services.AddSingleton<ChatHubConnections>();
        services.AddSingleton<Microsoft.AspNetCore.SignalR.HubLifetimeManager<ChatHub>>(sp => sp.GetRequiredService<ChatHubConnections>());
        services.AddOptions<ChatHubOptions>().Bind(configuration.GetSection(ChatHubOptions.Section));
        services.AddOptions<HubOptions>().Configure<IOptions<ChatHubOptions>>((hub, chat) => hub.HandshakeTimeout = chat.Value.HandshakeTimeout);
        services.AddWgStreamNotificationsApi(configuration);
        services.AddSingleton<ISchemaContributor, SponsorshipSchema>();
        services.AddStripeOptions(configuration);
        services.AddSignalR(o =>
            {
                o.EnableDetailedErrors = false;
                o.AddFilter<ChatHubErrorLogging>();
            })
            .AddJsonProtocol(o => ChatHubJson.Configure(o.PayloadSerializerOptions));
        services.AddSingleton<ChatHubErrorLogging>();
        services.AddLogging(logging => logging.AddFilter(ChatHubErrorLogging.DispatcherCategory, LogLevel.Critical));
        services.AddWgStreamStreamsApi(configuration);
        services.AddWgStreamVideosApi(configuration);
        services.AddWgStreamClipsApi();
        services.AddWgStreamPreviews(configuration);
        services.AddWgStreamAnalyticsApi();

        var graphQL = configuration.GetSection(GraphQLOptions.Section).Get<GraphQLOptions>() ?? new();
        services.AddGraphQL(b => b
            .AddSchema<WgSchema>()
            .AddGraphTypes(typeof(WgSchema).Assembly)
            .AddSerializer<WgGraphQLSerializer>()
            .AddErrorInfoProvider<WgErrorInfoProvider>()
            .AddComplexityAnalyzer(c =>
            {
                c.MaxDepth = graphQL.MaxDepth;
                c.MaxComplexity = graphQL.MaxComplexity;
                // Introspection lists are as long as the schema, not as the data: scored like data
                // pages, GraphiQL's start-up query comes to 11,000 (measured) against 2,000 allowed.
                // So introspection is left out of this score, and its cost is bounded like
                // everything else's by GraphQL:MaxSelections (each field counts, fragments expanded)
                // and, at run time, by GraphQL:MaxResultNodes.
                var standard = c.DefaultComplexityImpactDelegate;
                c.DefaultComplexityImpactDelegate = field =>
                    field.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal) || field.ParentType.Name.StartsWith("__", StringComparison.Ordinal)
                        ? new FieldComplexityResult(0, 1)
                        : standard(field);
            })
            // Both count every value they resolve against the operation's ResultBudget.
            .AddExecutionStrategy<BudgetedParallelExecutionStrategy>(GraphQLParser.AST.OperationType.Query)
            .AddExecutionStrategy<BudgetedSerialExecutionStrategy>(GraphQLParser.AST.OperationType.Mutation)
            .AddUnhandledExceptionHandler(ctx =>
            {
                if (ctx.OriginalException is not GrainInterfaces.Common.WgException)
                {
                    var logger = ctx.Context?.RequestServices?.GetService<ILogger<WgSchema>>();
                    logger?.LogError(ctx.OriginalException, "GraphQL resolver failed");
                }
            }));
        services.AddSingleton<RootQuery>();
        services.AddSingleton<RootMutation>();
        services.AddSingleton<RootSubscription>();

        services.AddWgForwardedHeaders();
        return services;
    }
}

/// <summary>Bound from the <c>Http</c> section.</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>
    /// Proxies (<c>10.0.0.5</c>) and networks (<c>10.0.0.0/8</c>) whose X-Forwarded-For/Proto are
    /// honoured: a load balancer or ingress in front of the Api. Empty by default: forwarded headers
    /// are ignored (and the log says so once if they arrive).
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}
