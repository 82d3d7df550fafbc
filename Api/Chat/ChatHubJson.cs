using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Api.Chat;

/// <summary>
/// The chat hub writes what the GraphQL schema describes, so a client has one chat shape whichever
/// transport it reads: <c>ChatMessage.seq</c> is a string (it is 64-bit, and the schema says
/// <c>String!</c>), and enums are the schema's CONSTANT_CASE values (<c>TEXT</c>, <c>EMOTE</c>).
/// <c>ChatHubPayloadTests</c> compares the hub's messages with the GraphQL ones field by field.
/// </summary>
public static class ChatHubJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper));
        options.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SeqAsString } };
    }

    private static void SeqAsString(JsonTypeInfo type)
    {
        if (type.Type != typeof(ChatMessage))
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (property.Name == "seq")
            {
                property.NumberHandling = JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString;
            }
        }
    }
}
