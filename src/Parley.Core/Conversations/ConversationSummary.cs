namespace Parley.Core.Conversations;

/// <summary>One line of a conversation listing.</summary>
/// <param name="Id">The conversation id.</param>
/// <param name="Bot">The bot's name.</param>
/// <param name="Created">When the conversation was created.</param>
/// <param name="Updated">When a message was last appended.</param>
/// <param name="MessageCount">How many messages the conversation holds.</param>
/// <param name="Preview">The start of the first user message, or <see langword="null"/> when there is none.</param>
/// <param name="Title">The conversation's title, or <see langword="null"/> when it has none.</param>
/// <param name="Owner">Who the conversation belongs to (<see cref="Conversation.Owner"/>), or <see langword="null"/>.</param>
public sealed record ConversationSummary(string Id, string Bot, DateTimeOffset Created, DateTimeOffset Updated, int MessageCount, string? Preview, string? Title = null, string? Owner = null);
