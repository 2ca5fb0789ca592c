using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Harness.Bench.Scan;

/// <summary>
/// A seeded completions file shaped like an R1-Zero run's rollouts: G completions per prompt, 300–4 000 characters
/// (log-normal, median ~1 200, growing over the run), reasoning mostly in English with some Chinese, Spanish, French
/// and German, re-checks that rise over the run (real ones that recompute, ritual ones that restate, some in another
/// language), repetition loops cut at the limit and phrases after the answer. JSON Lines of step, prompt, completion, gold.
/// With <c>boxed</c> the final answer is written as real MATH-style runs write it, "The answer is $\boxed{N}$.", in
/// place of <c>&lt;answer&gt;N&lt;/answer&gt;</c>; every other character is the same.
/// </summary>
public static class ScanCorpus
{
    private const int Group = 8;
    private const int MinChars = 300, MaxChars = 4000;

    public static void Write(string path, int completions, int seed, bool boxed = false)
    {
        var random = new Random(seed);
        var steps = Math.Max(1, completions / (Group * 125));
        var perStep = (completions + steps - 1) / steps;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var text = new StringBuilder();
        for (var n = 0; n < completions; n += Group)
        {
            var step = n / perStep + 1;
            var progress = step / (double)steps;
            var (a, b) = (random.Next(1000, 99999), random.Next(1000, 99999));
            var prompt = $"A conversation between User and Assistant. User: What is {a} + {b}? Assistant:";
            for (var g = 0; g < Group && n + g < completions; g++)
            {
                text.Clear();
                Completion(text, random, a, b, progress, boxed);
                json.WriteStartObject();
                json.WriteNumber("step", step);
                json.WriteString("prompt", prompt);
                json.WriteString("completion", text.ToString());
                json.WriteString("gold", (a + b).ToString());
                json.WriteEndObject();
                json.Flush();
                stream.WriteByte((byte)'\n');
                json.Reset();
            }
        }
    }

    private static void Completion(StringBuilder text, Random random, int a, int b, double progress, bool boxed)
    {
        // The aha: re-checks rare, then common past the middle of the run; completions grow with them.
        var recheck = 0.05 + 0.75 / (1 + Math.Exp(-12 * (progress - 0.5)));
        var target = (int)Math.Clamp(Math.Exp(6.9 + 0.4 * progress + 0.55 * Normal(random)), MinChars, MaxChars);
        var language = Pick(random, [(Languages.English, 0.80), (Languages.Chinese, 0.08), (Languages.Spanish, 0.04), (Languages.French, 0.04), (Languages.German, 0.04)]);
        var looping = random.NextDouble() < 0.02;
        var sum = a + b;
        var guess = random.NextDouble() < 0.7 ? sum : sum + (random.Next(2) == 0 ? 10 : -100);
        text.Append("<think>");
        var firstLine = string.Format(CultureInfo.InvariantCulture, language.Sum, a, b, guess);
        text.Append(firstLine).Append(' ');
        while (text.Length < target * 0.55) text.Append(language.Filler[random.Next(language.Filler.Length)]).Append(' ');
        var answer = guess;
        if (random.NextDouble() < recheck)
        {
            var recheckLanguage = random.NextDouble() < 0.05 ? Languages.Chinese : language;
            text.Append(recheckLanguage.Phrases[random.Next(recheckLanguage.Phrases.Length)]).Append(' ');
            if (random.NextDouble() < 0.25)
                text.Append(firstLine).Append(' ');
            else
            {
                var (x, y, carry) = (a, b, 0);
                while ((x > 0 || y > 0) && text.Length < target - 60)
                {
                    var column = x % 10 + y % 10 + carry;
                    text.Append(string.Format(CultureInfo.InvariantCulture, recheckLanguage.Column, x % 10, y % 10, carry, column % 10, column / 10)).Append(' ');
                    (x, y, carry) = (x / 10, y / 10, column / 10);
                }
                answer = sum;
            }
        }
        if (looping)
        {
            var line = language.Filler[random.Next(language.Filler.Length)];
            while (text.Length < MaxChars) text.Append(line).Append(' ');
            text.Length = MaxChars;
            return;
        }
        while (text.Length < target - 40) text.Append(language.Filler[random.Next(language.Filler.Length)]).Append(' ');
        if (boxed) text.Append("</think> The answer is $\\boxed{").Append(answer).Append("}$.");
        else text.Append("</think> <answer>").Append(answer).Append("</answer>");
        if (random.NextDouble() < 0.02) text.Append(" Wait, let me verify that again.");
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static T Pick<T>(Random random, (T Value, double Weight)[] choices)
    {
        var x = random.NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (value, weight) in choices)
            if ((x -= weight) < 0) return value;
        return choices[^1].Value;
    }

    private sealed record Languages(string Sum, string Column, string[] Phrases, string[] Filler)
    {
        public static Languages English { get; } = new("We need {0} + {1}. Adding them gives {2}.",
            "Units: {0} + {1} + {2} = {3}, carry {4}.",
            ["Wait, let me re-check.", "Wait.", "Let me double-check this.", "Actually, let me verify.", "Hmm, let me reconsider.", "Alternatively, check it another way.", "I made a mistake, let me redo it.", "Let me check again."],
            ["Let me think about this step by step.", "The problem asks for the sum of two numbers.", "I will add the columns from the right.",
             "Each column can produce a carry into the next one.", "So far the partial result looks reasonable.", "The thousands place needs care.",
             "This is a straightforward addition problem.", "Keep track of every carry.", "Both numbers have several digits.", "Now combine the partial sums."]);

        public static Languages Chinese { get; } = new("我们需要计算 {0} + {1}。相加得到 {2}。",
            "个位：{0} + {1} + {2} = {3}，进位 {4}。",
            ["等等，让我检查一下。", "等一下，我再算一遍。", "让我重新计算。", "我算错了，重新检查。"],
            ["让我一步一步地思考这个问题。", "题目要求两个数的和。", "我从右边开始逐位相加。", "每一位都可能产生进位。", "目前的结果看起来是合理的。", "千位需要小心处理。"]);

        public static Languages Spanish { get; } = new("Necesitamos {0} + {1}. La suma es {2}.",
            "Unidades: {0} + {1} + {2} = {3}, llevo {4}.",
            ["Espera, déjame verificar.", "Espera.", "Comprobemos el resultado.", "Me equivoqué, vuelvo a calcular."],
            ["Pensemos paso a paso.", "El problema pide la suma de dos números.", "Sumo las columnas desde la derecha.", "Cada columna puede llevar una cifra.", "El resultado parcial parece correcto."]);

        public static Languages French { get; } = new("Il faut calculer {0} + {1}. La somme donne {2}.",
            "Unités : {0} + {1} + {2} = {3}, retenue {4}.",
            ["Attendez, vérifions.", "Attends.", "Je vérifie encore.", "Je me suis trompé, recalculons."],
            ["Réfléchissons étape par étape.", "Le problème demande la somme de deux nombres.", "J'additionne les colonnes depuis la droite.", "Chaque colonne peut donner une retenue."]);

        public static Languages German { get; } = new("Wir brauchen {0} + {1}. Die Summe ist {2}.",
            "Einer: {0} + {1} + {2} = {3}, Übertrag {4}.",
            ["Moment, lass mich das überprüfen.", "Warte.", "Ich prüfe das nach.", "Ich habe mich verrechnet."],
            ["Denken wir Schritt für Schritt.", "Die Aufgabe fragt nach der Summe zweier Zahlen.", "Ich addiere die Spalten von rechts.", "Jede Spalte kann einen Übertrag erzeugen."]);
    }
}
