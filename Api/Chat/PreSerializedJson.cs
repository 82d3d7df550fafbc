using System.Text.Json;
using System.Text.Json.Serialization;

namespace WgStream.Api.Chat;

/// <summary>
/// A hub argument already serialized to JSON: written into each connection's frame as it is, so
/// an event bound for ten thousand connections is serialized once, not once per connection.
/// </summary>
[JsonConverter(typeof(PreSerializedJsonConverter))]
public sealed class PreSerializedJson(byte[] utf8)
{
    public ReadOnlyMemory<byte> Utf8 { get; } = utf8;

    public static PreSerializedJson From<T>(T value, JsonSerializerOptions options) => new(JsonSerializer.SerializeToUtf8Bytes(value, options));
}

public sealed class PreSerializedJsonConverter : JsonConverter<PreSerializedJson>
{
    public override PreSerializedJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Pre-serialized JSON is only ever sent.");

    public override void Write(Utf8JsonWriter writer, PreSerializedJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
}
