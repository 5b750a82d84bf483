using Microsoft.Extensions.AI;
using Parley.Nlu.FineTuning;

namespace Parley.Nlu.Tests.FineTuning;

public sealed class ChatExampleExtractorTests
{
    [Fact]
    public void Extract_MultiTurn_OneExamplePerTrainedReplyFromTheLastUserMessage()
    {
        ChatExampleMessage[] messages =
        [
            new("system", "You are a shop assistant."),
            new("user", "hi"),
            new("assistant", "Hello! How can I help?", Weight: 0),
            new("user", "when do you open?"),
            new("assistant", "At 9am."),
            new("user", "and can I pay by card?"),
            new("assistant", "Yes, all cards.", Weight: 1),
        ];

        var examples = ChatExampleExtractor.Extract(messages, line: 7);

        Assert.Equal(
            [new ChatTrainingExample("when do you open?", "At 9am.", 7), new ChatTrainingExample("and can I pay by card?", "Yes, all cards.", 7)],
            examples);
    }

    [Fact]
    public void Extract_ToolCallOnlyReplyAndNoUserMessage_UsesSystemTextAndSkipsEmptyReplies()
    {
        ChatExampleMessage[] messages =
        [
            new("system", "Greet the visitor."),
            new("assistant", "Welcome to the shop!"),
            new("user", "what's the weather"),
            new("assistant", null),
        ];

        var example = Assert.Single(ChatExampleExtractor.Extract(messages));

        Assert.Equal(new ChatTrainingExample("Greet the visitor.", "Welcome to the shop!", 0), example);
    }

    [Fact]
    public void RenderInput_Conversation_IsTheLastUserMessage()
    {
        var input = ChatExampleExtractor.RenderInput([
            new ChatMessage(ChatRole.System, "Be brief."),
            new ChatMessage(ChatRole.User, "first question"),
            new ChatMessage(ChatRole.Assistant, "an answer"),
            new ChatMessage(ChatRole.User, "  second question "),
        ]);

        Assert.Equal("second question", input);
    }
}
