using System.Text;
using System.Text.Json.Nodes;

namespace Parley.Server.Tests.FineTuning;

/// <summary>Small, realistic fine-tuning files written by the tests.</summary>
internal static class FineTuningData
{
    public const string Hours = "We're open Monday to Saturday, 9am to 6pm, and closed on Sundays.";
    public const string Returns = "You can return any item within 30 days for a full refund; start a return from your orders page.";
    public const string Shipping = "Standard delivery takes 3 to 5 working days; express delivery arrives the next working day.";
    public const string Tracking = "Use the tracking link in your dispatch email to see where your parcel is.";
    public const string Payment = "We accept Visa, Mastercard, American Express, PayPal and Apple Pay.";

    private const string System = "You are the customer service assistant of an online shop.";

    public static readonly (string Reply, string[] Questions)[] Chat =
    [
        (Hours, ["What are your opening hours?", "When do you open?", "Are you open on Sunday?", "What time does the store close?", "Opening times please", "Is the shop open on weekends?", "until when are you open today"]),
        (Returns, ["How do I return an item?", "Can I get a refund?", "I want to send my order back", "What is your return policy?", "The shoes don't fit, can I return them?", "how do refunds work", "I'd like my money back for this jacket"]),
        (Shipping, ["How long does delivery take?", "When will my order arrive?", "How fast is shipping?", "Do you offer express delivery?", "what are the delivery times", "how many days for shipping", "Can I get it delivered tomorrow?"]),
        (Tracking, ["Where is my parcel?", "How can I track my order?", "I need the tracking number for my package", "Has my order been dispatched?", "track my shipment", "my package hasn't arrived, where is it?", "can you tell me the status of my delivery"]),
        (Payment, ["Which payment methods do you accept?", "Can I pay with PayPal?", "Do you take credit cards?", "Is Apple Pay supported?", "how can I pay for my order", "can I pay by Amex", "what cards do you accept"]),
    ];

    /// <summary>The chat examples as OpenAI chat-format JSONL; some are multi-turn, with a weight-0 earlier reply.</summary>
    public static string ChatJsonl()
    {
        var lines = new StringBuilder();
        for (var i = 0; i < Chat.Length; i++)
        {
            foreach (var (question, n) in Chat[i].Questions.Select((q, n) => (q, n)))
            {
                var messages = new JsonArray(new JsonObject { ["role"] = "system", ["content"] = System });
                if (n % 3 == 2)
                {
                    var other = Chat[(i + 1) % Chat.Length];
                    messages.Add(new JsonObject { ["role"] = "user", ["content"] = other.Questions[0] });
                    messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = other.Reply, ["weight"] = 0 });
                }

                messages.Add(new JsonObject { ["role"] = "user", ["content"] = question });
                messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = Chat[i].Reply });
                lines.Append(new JsonObject { ["messages"] = messages }.ToJsonString()).Append('\n');
            }
        }

        return lines.ToString();
    }

    /// <summary>Intent-labelled JSONL: three intents, eight utterances each.</summary>
    public static string IntentJsonl()
    {
        (string Intent, string[] Texts)[] intents =
        [
            ("check_balance", ["what's my balance", "how much money do I have", "show my account balance", "balance please", "how much is left in my account", "check my balance", "what is in my checking account", "tell me my current balance"]),
            ("transfer_money", ["send 50 dollars to mom", "transfer money to my savings", "move 100 to checking", "I want to transfer funds", "wire money to John", "pay my friend 20 euros", "make a transfer", "send money abroad"]),
            ("lost_card", ["I lost my card", "my credit card was stolen", "block my card", "I can't find my debit card", "someone took my card", "freeze my card please", "report a stolen card", "my card is missing"]),
        ];
        var lines = new StringBuilder();
        foreach (var (intent, texts) in intents)
        {
            foreach (var text in texts)
            {
                lines.Append(new JsonObject { ["text"] = text, ["label"] = intent }.ToJsonString()).Append('\n');
            }
        }

        return lines.ToString();
    }
}
