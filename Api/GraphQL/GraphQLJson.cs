using System.Buffers;
using System.Text.Json;
using GraphQL;
using GraphQL.SystemTextJson;

namespace WgStream.Api.GraphQL;

/// <summary>
/// Writes GraphQL results and protocol messages as UTF-8 straight into buffers, with the options
/// (converters, error shaping) of the registered graphql-dotnet serializer: no string round trip.
/// </summary>
public sealed class GraphQLJson
{
    private readonly JsonSerializerOptions options;

    public GraphQLJson(IGraphQLTextSerializer serializer) =>
        options = (serializer as WgGraphQLSerializer)?.Options
            ?? throw new InvalidOperationException($"The GraphQL serializer must be {nameof(WgGraphQLSerializer)}.");

    public byte[] ToUtf8<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, options);

    /// <summary>
    /// <paramref name="value"/> as UTF-8 in pooled memory (dispose it), or null when it would be
    /// larger than <paramref name="maxBytes"/>.
    /// </summary>
    public CappedBufferWriter? TryWrite<T>(T value, int maxBytes)
    {
        var output = new CappedBufferWriter(maxBytes);
        try
        {
            Write(output, value);
            return output;
        }
        catch (ResponseTooLargeException)
        {
            output.Dispose();
            return null;
        }
    }

    public void Write<T>(IBufferWriter<byte> output, T value)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });
        JsonSerializer.Serialize(writer, value, options);
    }
}

/// <summary>graphql-dotnet's System.Text.Json serializer, with its options shared with <see cref="GraphQLJson"/>.</summary>
public sealed class WgGraphQLSerializer(global::GraphQL.Execution.IErrorInfoProvider errorInfoProvider) : GraphQLSerializer(errorInfoProvider)
{
    public JsonSerializerOptions Options => SerializerOptions;
}
