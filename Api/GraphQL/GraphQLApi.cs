using GraphQL;
using GraphQL.Validation.Complexity;
using Microsoft.Extensions.Options;
using WgStream.Api.Accounts;
using WgStream.Api.Auth;

namespace WgStream.Api.GraphQL;

/// <summary>
/// The GraphQL schema (each feature adds its part as an <see cref="ISchemaContributor"/>), our HTTP
/// and graphql-transport-ws transport, persisted documents, the cost limits, GraphiQL and the SDL.
/// </summary>
public static class GraphQLApi
{
    public static IServiceCollection AddGraphQLApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GraphQLOptions>().Bind(configuration.GetSection(GraphQLOptions.Section));
        services.AddSingleton<DocumentCache>();
        services.AddSingleton<PersistedDocuments>();
        services.AddSingleton<GraphQLRequestExecutor>();
        services.AddSingleton<GraphQLJson>();
        services.AddSingleton<SharedSubscriptions>();

        var graphQL = configuration.GetSection(GraphQLOptions.Section).Get<GraphQLOptions>() ?? new();
        services.AddGraphQL(b => b
            .AddSchema<WgSchema>()
            .AddGraphTypes(typeof(WgSchema).Assembly)
            .AddSerializer<WgGraphQLSerializer>()
            .AddErrorInfoProvider<WgErrorInfoProvider>()
            .AddComplexityAnalyzer(c => ConfigureComplexity(c, graphQL))
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
        return services;
    }

    /// <summary>
    /// The depth and complexity every document is held to (the executor's complexity rule); a test
    /// holds each of the web client's persisted documents to the same.
    /// </summary>
    public static void ConfigureComplexity(ComplexityOptions c, GraphQLOptions graphQL)
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
    }

    /// <summary><c>/graphql</c> over HTTP (GET, POST) and WebSocket, <c>/graphiql</c> and the schema's SDL.</summary>
    public static WebApplication MapGraphQLApi(this WebApplication app)
    {
        app.Map("/graphql", async (
            HttpContext http,
            GraphQLRequestExecutor executor,
            IGraphQLTextSerializer serializer,
            SessionAuthenticator authenticator,
            WebSocketRegistry registry,
            IOptions<GraphQLOptions> options,
            ILoggerFactory loggers) =>
        {
            if (http.WebSockets.IsWebSocketRequest)
            {
                await GraphQLWebSocketEndpoint.HandleAsync(
                    http,
                    executor,
                    serializer,
                    http.RequestServices.GetRequiredService<GraphQLJson>(),
                    http.RequestServices.GetRequiredService<SharedSubscriptions>(),
                    authenticator,
                    registry,
                    http.RequestServices.GetRequiredService<ViewerBlocks>(),
                    options,
                    loggers);
            }
            else if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsPost(http.Request.Method))
            {
                await GraphQLHttpEndpoint.HandleAsync(http, executor, serializer, authenticator, options, loggers);
            }
            else
            {
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                http.Response.Headers.Allow = "GET, POST";
            }
        });
        app.MapGet("/graphiql", GraphiQLPage.Write);
        app.MapSchemaSdl();
        return app;
    }
}
