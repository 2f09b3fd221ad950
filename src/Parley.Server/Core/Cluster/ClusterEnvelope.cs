using System.Text.Json.Serialization;

namespace Parley.Server.Core.Cluster;

/// <summary>What one node publishes to the others: a committed message or a presence event.</summary>
internal sealed record ClusterEnvelope
{
    /// <summary>The publishing node.</summary>
    [JsonPropertyName("node")] public required string Node { get; init; }

    /// <summary>The conversation (message) or room (presence).</summary>
    [JsonPropertyName("conv")] public required string Conversation { get; init; }

    /// <summary>The sender's identity (message), or the key the member's name is held under (presence).</summary>
    [JsonPropertyName("uk")] public required string UserKey { get; init; }

    /// <summary>The timestamp, unix milliseconds.</summary>
    [JsonPropertyName("ts")] public long Ts { get; init; }

    /// <summary>A message's seq; 0 for presence.</summary>
    [JsonPropertyName("seq")] public long Seq { get; init; }

    /// <summary>A message's sender as shown, or the member's name for presence.</summary>
    [JsonPropertyName("from")] public required string From { get; init; }

    /// <summary>A message's <c>to</c>.</summary>
    [JsonPropertyName("to")] public string? To { get; init; }

    /// <summary>A message's text.</summary>
    [JsonPropertyName("text")] public string? Text { get; init; }

    /// <summary>A presence event (join, leave, quit); null for a message.</summary>
    [JsonPropertyName("event")] public string? PresenceEvent { get; init; }
}

/// <summary>Serialization of <see cref="ClusterEnvelope"/> without reflection.</summary>
[JsonSerializable(typeof(ClusterEnvelope))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
