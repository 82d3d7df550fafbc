using System.Globalization;
using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WgStream.Api.GraphQL;
using WgStream.Api.Hosting;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Web;

namespace WgStream.Tests.GraphQL;

/// <summary>
/// Every document the web client is built with passes the Api's own checks under the shipped
/// limits: the document shape (selections, aliases, spreads, directives) and the schema's
/// validation with the depth and complexity rule, with each variable at its most expensive value
/// (a page size at its maximum). Otherwise a page would be refused with QUERY_TOO_COMPLEX in
/// production although no browser test happened to open it. Nothing is executed: the schema is the
/// Api's, built from its real composition, and the documents are only validated against it.
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class PersistedDocumentLimitsTests
{
    [Fact]
    public async Task Every_web_document_validates_within_the_shipped_depth_complexity_and_shape_limits()
    {
        var path = Path.Combine(WebFixture.WebRoot, "app", "persisted-documents.json");
        Assert.True(File.Exists(path), $"{path} is missing: build the web client first (./wg web).");
        var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(path))!;

        var builder = WebApplication.CreateBuilder();
        // The schema's contributors keep a cluster client for their resolvers; one that never connects will do, as nothing runs.
        builder.UseOrleansClient(client => client.UseLocalhostClustering());
        builder.Services.AddWgStreamApi(builder.Configuration);
        await using var app = builder.Build();
        var schema = app.Services.GetRequiredService<ISchema>();
        schema.Initialize();

        var limits = new GraphQLOptions();
        var complexity = new ComplexityOptions();
        GraphQLApi.ConfigureComplexity(complexity, limits);
        IValidationRule[] rules = [.. DocumentValidator.CoreRules, new ComplexityValidationRule(complexity)];
        var validator = new DocumentValidator();

        var failures = new List<string>();
        var operations = 0;
        foreach (var (id, text) in manifest)
        {
            var document = Parser.Parse(text);
            if (DocumentShape.Measure(document).Exceeds(limits) is { } shape)
            {
                failures.Add($"{Name(document)}: {shape}");
                continue;
            }

            foreach (var operation in document.Definitions.OfType<GraphQLOperationDefinition>())
            {
                operations++;
                var result = await validator.ValidateAsync(new ValidationOptions
                {
                    Schema = schema,
                    Document = document,
                    Operation = operation,
                    Rules = rules,
                    Variables = WorstCaseVariables(operation, schema),
                    RequestServices = app.Services,
                    UserContext = new Dictionary<string, object?>(),
                    Metrics = global::GraphQL.Instrumentation.Metrics.None,
                });
                failures.AddRange(result.Errors.Select(e => $"{operation.Name?.StringValue ?? id}: {e.Code} {e.Message}"));
            }
        }

        Assert.True(operations >= 100, $"Only {operations} operations were found in {path}.");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static string Name(GraphQLDocument document) =>
        document.Definitions.OfType<GraphQLOperationDefinition>().FirstOrDefault()?.Name?.StringValue ?? "(unnamed)";

    /// <summary>A value for every variable, nullable ones included; an Int is a page at its largest, the most a client can ask.</summary>
    private static Inputs WorstCaseVariables(GraphQLOperationDefinition operation, ISchema schema)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var variable in operation.Variables?.Items ?? [])
        {
            values[variable.Variable.Name.StringValue] = ValueOf(variable.Type, schema);
        }

        return values.ToInputs();
    }

    private static object? ValueOf(GraphQLType type, ISchema schema) => type switch
    {
        GraphQLNonNullType nonNull => ValueOf(nonNull.Type, schema),
        GraphQLListType list => new List<object?> { ValueOf(list.Type, schema) },
        GraphQLNamedType named => ValueOf(schema.AllTypes[named.Name.StringValue]
            ?? throw new InvalidOperationException($"The schema has no type {named.Name.StringValue}.")),
        _ => throw new InvalidOperationException($"Unexpected type {type.Kind}."),
    };

    private static object? ValueOf(IGraphType type) => type switch
    {
        IntGraphType => Cursor.MaxPageSize,
        LongGraphType => (long)Cursor.MaxPageSize,
        FloatGraphType => 1.5,
        BooleanGraphType => true,
        IdGraphType => Guid.NewGuid().ToString(),
        DateTimeOffsetGraphType => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        StringGraphType => "x",
        EnumerationGraphType enumeration => enumeration.Values.First().Name,
        IInputObjectGraphType input => input.Fields.ToDictionary(
            f => f.Name,
            f => ValueOf(f.ResolvedType ?? throw new InvalidOperationException($"{input.Name}.{f.Name} has no type."))),
        NonNullGraphType nonNull => ValueOf(nonNull.ResolvedType!),
        ListGraphType list => new List<object?> { ValueOf(list.ResolvedType!) },
        _ => throw new InvalidOperationException($"No worst-case value for the type {type.Name}: add one."),
    };
}
