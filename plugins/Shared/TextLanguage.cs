using System.Runtime.CompilerServices;

namespace Harness.Plugins.Shared;

/// <summary>
/// The language of a stretch of text, told apart without a model: by its script first (Han with kana is Japanese, Han
/// alone Chinese, Hangul Korean, Cyrillic Russian or Ukrainian, Arabic script Arabic or Persian, Devanagari Hindi, Thai,
/// Greek, Hebrew, Bengali, Tamil; any other script is one "other"), and in Latin script by the function words of English,
/// Spanish, Portuguese, French, German, Italian, Dutch, Polish, Turkish, Vietnamese, Indonesian and Malay, Swedish, Danish
/// and Norwegian, Czech and Slovak, Romanian, Catalan, Finnish, Estonian, Hungarian, Swahili, Tagalog, Croatian, Slovene,
/// Lithuanian and Latvian, and the letters of their alphabets; a Latin sentence of four or more words hardly any of which
/// a list knows is in a language of its own, <see cref="OtherLatin"/>. A sentence is the unit: its words share
/// one language, the one whose words it holds most of; a sentence with none takes the language of the sentence before
/// it. A few letters of another script inside a sentence (a name such as 李明 in an English sentence) are the sentence's
/// language. Names, loanwords with diacritics (naïve, José) and LaTeX carry no evidence, so they never make English
/// foreign. SearchPioneer.Lingua was measured for this and not chosen (README, "Detectors").
/// </summary>
internal static class TextLanguage
{
    /// <summary>
    /// The language of a prompt's question (after the last user marker of a chat or R1-Zero template); English when
    /// nothing tells. Found once per prompt: every completion of a group asks.
    /// </summary>
    public static string OfPrompt(string prompt) => Prompts.GetValue(prompt, Identify);

    private static readonly ConditionalWeakTable<string, string> Prompts = new();

    private static string Identify(string prompt)
    {
        var start = new[] { "User:", "<|im_start|>user", "<｜User｜>", "[INST]", "<start_of_turn>user", "<|user|>" }
            .Select(marker => (Marker: marker, At: prompt.LastIndexOf(marker, StringComparison.Ordinal))).Where(m => m.At >= 0)
            .Select(m => m.At + m.Marker.Length).DefaultIfEmpty(Math.Max(0, prompt.Length - 1000)).Max();
        var question = prompt.AsSpan(start);
        var end = question.IndexOf("Assistant", StringComparison.Ordinal);
        return Dominant(end > 0 ? question[..end] : question) ?? English;
    }

    /// <summary>
    /// The words of a stretch of text, and how many are in another language than <paramref name="language"/> (a Chinese
    /// or Japanese character counts as a word, as they are written without spaces).
    /// </summary>
    public static (int Words, int Foreign) Foreign(ReadOnlySpan<char> text, string language)
    {
        var (words, foreign) = (0, 0);
        var previous = language;
        foreach (var range in Sentences(text))
        {
            var sentence = text[range];
            var tally = Tally(sentence, language, previous);
            // A Latin sentence no list knows is foreign to English, whose list is the fullest; against another Latin
            // language's thinner list (or a text no list knows, against a sentence in one of them) it is likelier the same
            // language's less common words than a third language.
            var own = tally.Language ?? previous;
            if (own != English && language != English && (own == OtherLatin && Words.ContainsKey(language) || language == OtherLatin && Words.ContainsKey(own))) own = language;
            previous = own;
            words += tally.Words;
            // Han is Japanese's too: in a Japanese text a sentence of kanji alone is Japanese.
            foreach (var (script, count) in tally.ByScript)
                if (!Same(ScriptLanguage(script, tally.HasKana || language == "ja") ?? own, language)) foreign += count;
        }
        return (words, foreign);
    }

    /// <summary>The share of a text's words in <paramref name="language"/>; 1 when it has no words.</summary>
    public static double Share(ReadOnlySpan<char> text, string language)
    {
        var (words, foreign) = Foreign(text, language);
        return words == 0 ? 1.0 : (words - foreign) / (double)words;
    }

    public const string English = "en";

    /// <summary>A Latin-script language none of the word lists has: all such languages count as one.</summary>
    public const string OtherLatin = "latin";

    /// <summary>The language most of a text's words are in; null when nothing tells.</summary>
    private static string? Dominant(ReadOnlySpan<char> text)
    {
        var votes = new Dictionary<string, int>();
        // Latin sentences pool their evidence: one sentence of content words (a question) says little, the text says more.
        var evidence = new Dictionary<string, double>();
        var (latinWords, known) = (0, 0);
        foreach (var range in Sentences(text))
        {
            var sentence = text[range];
            var tally = Tally(sentence, English, English);
            foreach (var (script, count) in tally.ByScript)
                if (ScriptLanguage(script, tally.HasKana) is { } language) votes[language] = votes.GetValueOrDefault(language) + count;
                else if (script == Scripts.Latin) latinWords += count;
            foreach (var (language, weight) in tally.Evidence) evidence[language] = evidence.GetValueOrDefault(language) + weight;
            known += tally.Known;
        }
        if (latinWords > 0 && LatinLanguage(evidence, latinWords, known, English, English) is { } latin) votes[latin] = votes.GetValueOrDefault(latin) + latinWords;
        return votes.Count == 0 ? null : votes.MaxBy(v => v.Value).Key;
    }

    /// <summary>
    /// Cyrillic's languages and Arabic script's are told apart by nothing here: they count as one; so do languages close
    /// enough to share most function words (Malay and Indonesian, Slovak and Czech, Danish, Norwegian and Swedish, Estonian
    /// and Finnish).
    /// </summary>
    private static bool Same(string a, string b) => a == b || Group(a) == Group(b);

    private static string Group(string language) => language switch
    {
        "uk" or "ru" => "ru", "fa" or "ar" => "ar", "ms" or "id" => "id", "sk" or "cs" => "cs", "da" or "sv" => "sv", "et" or "fi" => "fi", _ => language,
    };

    private static string? ScriptLanguage(Scripts script, bool hasKana) => script switch
    {
        Scripts.Han => hasKana ? "ja" : "zh",
        Scripts.Kana => "ja",
        Scripts.Hangul => "ko",
        Scripts.Cyrillic => "ru",
        Scripts.Arabic => "ar",
        Scripts.Devanagari => "hi",
        Scripts.Thai => "th",
        Scripts.Greek => "el",
        Scripts.Hebrew => "he",
        Scripts.Bengali => "bn",
        Scripts.Tamil => "ta",
        Scripts.Other => "other",
        _ => null,
    };

    /// <summary>A sentence's words by script (a minority of another script folded into the majority's: a name), and its Latin words' language.</summary>
    /// <param name="Evidence">The weight of each language's words and letters among its Latin words.</param>
    /// <param name="Known">How many of its Latin words some list or alphabet knows.</param>
    private sealed record SentenceTally(int Words, Dictionary<Scripts, int> ByScript, string? Language, bool HasKana, Dictionary<string, double> Evidence, int Known);

    /// <summary>
    /// The language Latin words are in, from their evidence: the heaviest (a tie goes to <paramref name="preferred"/>, then
    /// <paramref name="previous"/>, then English); <see cref="OtherLatin"/> when four or more words are hardly known (a
    /// language none of the lists has: Swahili, Yoruba); null without evidence.
    /// </summary>
    private static string? LatinLanguage(Dictionary<string, double> evidence, int words, int known, string preferred, string previous)
    {
        if (words >= 4 && known * 5 < words) return OtherLatin;
        if (evidence.Count == 0) return null;
        var best = evidence.Values.Max();
        var tied = evidence.Where(e => e.Value >= best - 1e-9).Select(e => e.Key).ToArray();
        return tied.Contains(preferred) ? preferred : tied.Contains(previous) ? previous : tied.Contains(English) ? English : tied.Order(StringComparer.Ordinal).First();
    }

    /// <param name="sentence">The sentence.</param>
    /// <param name="preferred">The language a tie of evidence goes to first (the prompt's), then <paramref name="previous"/>.</param>
    /// <param name="previous">The language of the sentence before.</param>
    private static SentenceTally Tally(ReadOnlySpan<char> sentence, string preferred, string previous)
    {
        var byScript = new Dictionary<Scripts, int>();
        var evidence = new Dictionary<string, double>();
        var hasKana = false;
        var (latinWords, known, hanRuns, hanChars, longestHanRun) = (0, 0, 0, 0, 0);
        var inHanRuns = new Dictionary<Scripts, int>();
        for (var start = Next(sentence, 0, out var length); start >= 0; start = Next(sentence, start + length, out length))
        {
            var word = sentence.Slice(start, length);
            // A LaTeX command (\frac, \text) is no word of any language.
            if (start > 0 && sentence[start - 1] == '\\') continue;
            if (word.ContainsAnyInRange('\u3040', '\u30FF') || word.ContainsAnyInRange('\u3400', '\u9FFF') || word.ContainsAnyInRange('\uF900', '\uFAFF'))
            {
                // Chinese and Japanese are written without spaces: each character is a word; a run with kana is Japanese.
                foreach (var c in word)
                {
                    var s = ScriptsOf.Letter(c) is var letter && letter != Scripts.None ? letter : Scripts.Other;
                    hasKana |= s == Scripts.Kana;
                    byScript[s] = byScript.GetValueOrDefault(s) + 1;
                    inHanRuns[s] = inHanRuns.GetValueOrDefault(s) + 1;
                }
                (hanRuns, hanChars, longestHanRun) = (hanRuns + 1, hanChars + word.Length, Math.Max(longestHanRun, word.Length));
                continue;
            }
            var script = ScriptsOf.Letter(word[0]) is var first && first != Scripts.None ? first : Scripts.Other;
            // Thai is written without spaces too: a run counts as the words it holds (about four letters each).
            var count = script == Scripts.Thai ? (word.Length + 3) / 4 : 1;
            byScript[script] = byScript.GetValueOrDefault(script) + count;
            if (script != Scripts.Latin) continue;
            latinWords++;
            // A word of several languages is weaker evidence for each; so is a letter several alphabets have, in a word no
            // list knows (naïve is English's) and not capitalized (a name is no evidence).
            var languages = LanguagesOf(word);
            var found = languages.Count > 0 ? languages : char.IsLower(word[0]) ? AlphabetsOf(word) : [];
            if (found.Count > 0) known++;
            foreach (var language in found) evidence[language] = evidence.GetValueOrDefault(language) + 1.0 / found.Count;
        }
        // Spanish opens its questions and exclamations upside down.
        if (sentence.IndexOfAny('¿', '¡') >= 0) evidence["es"] = evidence.GetValueOrDefault("es") + 1;
        // Short runs of Chinese or Japanese inside a Latin sentence (a name: 山田陽翔 saves 125 yen) are the sentence's.
        if (hanRuns > 0 && latinWords >= 2 && longestHanRun <= 4 && hanRuns * 2 <= latinWords)
        {
            foreach (var (script, count) in inHanRuns)
                if ((byScript[script] -= count) == 0) byScript.Remove(script);
            byScript[Scripts.Latin] += hanChars;
            hasKana = false;
        }
        var words = byScript.Values.Sum();
        // A minority of another script inside a sentence (at most a third of its words, at most four) is a name or a term.
        if (byScript.Count > 1)
        {
            var major = byScript.MaxBy(s => s.Value).Key;
            foreach (var (script, count) in byScript.ToArray())
                if (script != major && (script is not (Scripts.Han or Scripts.Kana) || major is not (Scripts.Han or Scripts.Kana)) && count * 3 <= words && count <= 4)
                {
                    byScript.Remove(script);
                    byScript[major] += count;
                }
        }
        var latinLanguage = LatinLanguage(evidence, latinWords, known, preferred, previous);
        return new SentenceTally(words, byScript, latinLanguage, hasKana, evidence, known);
    }

    /// <summary>The sentences of a text: split after . ! ? ; : (and their full-width forms) and at line ends.</summary>
    private static List<Range> Sentences(ReadOnlySpan<char> text)
    {
        var sentences = new List<Range>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            // A point between digits (3.5) or before a letter (e.g.) ends nothing.
            var ends = c is '\n' or '!' or '?' or ';' or '。' or '！' or '？' or '；' or '：' or '؟' or '।'
                || c is '.' or ':' && (i + 1 >= text.Length || text[i + 1] is ' ' or '\n' or '\t');
            if (!ends) continue;
            if (i > start) sentences.Add(start..i);
            start = i + 1;
        }
        if (start < text.Length) sentences.Add(start..text.Length);
        return sentences;
    }

    /// <summary>
    /// The start of the first word at or after <paramref name="from"/> and its length; -1 when there is none. A word is
    /// what <c>(?&lt;![&lt;\/\w])\p{L}[\p{L}\p{M}]*(['-]\p{L}[\p{L}\p{M}]*)*(?!\w)</c> matches (hyphenated words and contractions as
    /// one; the vowel signs of Devanagari, Thai or Arabic inside a word).
    /// </summary>
    internal static int Next(ReadOnlySpan<char> text, int from, out int length)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (!RegexClasses.IsLetter(text[i]) || i > 0 && (RegexClasses.IsWord(text[i - 1]) || text[i - 1] is '<' or '/')) continue;
            var end = i + 1;
            while (end < text.Length && RegexClasses.IsLetterOrMark(text[end])) end++;
            var lastJoin = -1;
            while (end + 1 < text.Length && text[end] is '\'' or '-' && RegexClasses.IsLetter(text[end + 1]))
            {
                lastJoin = end;
                end += 2;
                while (end < text.Length && RegexClasses.IsLetterOrMark(text[end])) end++;
            }
            // A word must not run into a word character (a digit, an underscore, a mark): then the pattern backs off
            // within its last part to before a mark that is no word character (a vowel sign), else to before its last
            // apostrophe or hyphen, or finds no word here.
            if (end < text.Length && RegexClasses.IsWord(text[end]))
            {
                var partStart = lastJoin >= 0 ? lastJoin + 2 : i + 1;
                var back = end - 1;
                while (back >= partStart && RegexClasses.IsWord(text[back])) back--;
                end = back >= partStart ? back : lastJoin;
            }
            if (end < 0) continue;
            length = end - i;
            return i;
        }
        length = 0;
        return -1;
    }

    /// <summary>The languages whose alphabets have every letter outside a–z that a word has; none for a plain word.</summary>
    private static List<string> AlphabetsOf(ReadOnlySpan<char> word)
    {
        List<string>? found = null;
        foreach (var c in word)
        {
            if (c < 128 || !char.IsLetter(c)) continue;
            var lower = char.ToLowerInvariant(c);
            // Vietnamese alone stacks tone marks on its vowels.
            var having = lower is >= '\u1EA0' and <= '\u1EF9' or 'đ' or 'ơ' or 'ư' ? ["vi"] : Alphabets.Where(a => a.Value.Contains(lower)).Select(a => a.Key).ToList();
            found = found is null ? having : [.. found.Intersect(having)];
        }
        return found ?? [];
    }

    /// <summary>The letters outside a–z of each language's alphabet.</summary>
    private static readonly Dictionary<string, string> Alphabets = new()
    {
        ["es"] = "ñáéíóúü", ["pt"] = "ãõçáéíóúâêôà", ["fr"] = "éèêëàâîïôûùçœæÿ", ["de"] = "äöüß", ["it"] = "àèéìòù", ["pl"] = "ąćęłńóśźż",
        ["cs"] = "áčďéěíňóřšťúůýž", ["ro"] = "ăâîșțşţ", ["tr"] = "çğıöşü", ["sv"] = "åäö", ["nl"] = "ëï",
        ["ca"] = "àèéíïòóúç·", ["da"] = "æøå", ["fi"] = "äöå", ["hu"] = "áéíóöőúüű", ["et"] = "äöõüšž", ["sk"] = "áäčďéíĺľňóôŕšťúýž",
        ["hr"] = "čćđšž", ["sl"] = "čšž", ["lt"] = "ąčęėįšųūž", ["lv"] = "āčēģīķļņšūž",
    };

    /// <summary>The languages whose common words include this one (compared ignoring case and the parts of a hyphenated word).</summary>
    private static List<string> LanguagesOf(ReadOnlySpan<char> word)
    {
        var found = new List<string>();
        foreach (var part in word.Split('-'))
        foreach (var (language, lookup) in Lookups)
            if (lookup.Contains(word[part]) && !found.Contains(language)) found.Add(language);
        return found;
    }

    /// <summary>
    /// Each language's most common words, and the words of arithmetic and of re-checking in it. A word in two lists is
    /// evidence for both; English wins a tie.
    /// </summary>
    private static readonly Dictionary<string, string> Words = new()
    {
        [English] = """
            a about above across after again against all almost along already also although always am among an and another answer any
            anything are around as ask at away back be because become been before began behind being below best better between both but
            buy bought by call came can cannot carry case cause certain change check checked checking close column columns come compute
            correct cost costs could day days did different digit digits do does doing done double down during each early easy either else
            end enough equal equals error even ever every example fact far few find first five for found four from full further gave get
            gets give given gives go goes going good got great had half has have having he her here high him his hold how however hundred
            hundreds i if in into is it its itself just keep kind know known large last later least left less let let's like line little
            long look looks made make makes many may maybe me mean means method might million mind minus mistake more most much must my
            myself need never new next nine no not nothing now number numbers of off often ok okay old on once one only or order other
            others our out over own part per place plus point put quite rather re really recheck redo remaining result right said same
            say says second see seems seven several she should show side since six small so some something soon start step steps still
            such sum sure take takes tell ten tens than that that's the their them themselves then there therefore these they thing things
            think third this those though thought thousand three through thus time times to together too took total try turn twice two
            under until up upon us use used using very wait want was way we well went were what when where whether which while who whole
            why will with within without work works would wrong yes yet you your zero eight nine add adding added addition actually
            alternatively reconsider rethink evaluate examine confused need true false gives i'm it's don't isn't doesn't can't won't
            divided multiply multiplied product subtract subtracted difference quotient remainder each altogether hold hmm oops confirm
            sanity agree agrees matches match fine indeed hence apples people minutes hours dollars cents miles each every per left
            verify verifying verified verification confirming confirmed calculate calculating calculated calculation compute computing
            computed subtraction multiplication division solve solving solved equation value values square root factor fraction
            percent price each cost spent spends buys sells sold pays paid needs needed remaining remains leaves left more fewer
            let's we're we've i've i'll that's there's what's plug plugging substitute substituting back original again indeed
            naïve naive café cafés résumé cliché fiancé fiancée déjà vu jalapeño jalapeños piñata façade crème brûlée entrée
            soufflé protégé touché über doppelgänger señor señora coördinate coöperate rôle élite décor
            """,
        ["es"] = """
            el la los las lo le les un uno una unos unas es son era fue ser estar está están estaba del al de que y o pero si no sí en por para
            con sin sobre entre hasta desde como muy más menos también ya aquí ahora entonces luego después antes pues así bien mal cada
            otro otra otros todo todos toda esto este esta estos eso ese esa hay tiene tienen tenemos tengo hace hacer dice puede podemos
            suma sumar sumamos resta restar multiplicar dividir resultado número números cifra cifras primero primera segundo segunda
            unidades decenas centenas respuesta igual total cuánto cuánta cuántos cuántas cuál cómo qué porque donde cuando nos me te se
            mi su sus verificar verifico verifiquemos comprobar comprobemos comprobación revisar revisemos repasemos repasar correcto
            correcta déjame dejame espera esperen vamos equivoqué equivoque error cálculo calculo otra vez nuevo nueva llevo da dan
            """,
        ["pt"] = """
            o os a as um uma uns umas é são era foi ser estar está estão estava do da dos das ao aos de que e ou mas se não sim em no na nos
            nas por para com sem sobre entre até desde como muito mais menos também já aqui agora então depois antes pois assim bem mal
            cada outro outra outros todo todos toda isto isso este esta esse essa há tem têm temos tenho faz fazer diz pode podemos soma
            somar somamos subtrair multiplicar dividir resultado número números algarismo primeiro primeira segundo segunda unidades
            dezenas centenas resposta igual total quanto quanta quantos quantas qual como que porque onde quando nós me te se meu minha
            seu sua verificar verificando conferir conferindo confere confirma checar revisar refazer refazendo vamos deixa deixe eu
            errei enganei erro certo certa conta contas espera opa vou vai dá dão de novo vez está
            """,
        ["fr"] = """
            le la les l un une des du de d et est sont était été être avoir a ai as ont avons avez pour avec sans sur sous dans entre par
            alors donc mais ou où si ne pas plus moins aussi encore déjà ici maintenant puis après avant ainsi bien mal chaque autre autres
            tout tous toute toutes ce cet cette ces cela ça c'est il elle ils elles on nous vous je tu me te se mon ma mes son sa ses leur
            leurs qui que quoi quel quelle combien comment pourquoi quand somme résultat chiffre chiffres nombre nombres unités dizaines
            centaines réponse égal égale total fait font donne vérifions vérifie vérifier vérification revérifie revérifions recalculons
            recompte recomptons trompé trompée attends attendez laisse-moi refais refaire calcul calculs erreur juste bon bonne correct
            """,
        ["de"] = """
            der die das den dem des ein eine einen einem einer eines und oder aber wenn dann also auch noch schon nur nicht kein keine
            ist sind war waren sein haben hat hatte habe ich du er sie es wir ihr mich mir dich uns euch mit für von zu zum zur bei nach aus
            auf an in im am um über unter vor hinter zwischen durch gegen ohne bis seit wie was wer wo warum wann welche welcher welches
            jede jeder jedes alle alles dieser diese dieses hier jetzt dort so sehr mehr weniger gleich ergibt ergebnis zahl zahlen summe
            einer einern zehner hunderter antwort rechnung rechnen rechne nachrechnen verrechnet prüfen prüfe überprüfen überprüfe
            kontrollieren kontrolle probe stimmt richtig falsch fehler lass lasst moment warte nochmal einmal mal macht insgesamt viele viel
            """,
        ["it"] = """
            il lo la i gli le un uno una di del dello della dei degli delle a al allo alla ai agli alle da dal dalla in nel nella con su per
            tra fra e ed o ma se non sì anche ancora già qui ora allora quindi poi dopo prima così bene male ogni altro altra altri tutto
            tutti tutta questo questa questi quello quella c'è ci sono è era sono siamo ha hanno ho abbiamo fa fare dice può possiamo
            che chi cosa quale quanto quanta quanti quante come perché dove quando mi ti si ne noi voi mio mia suo sua loro somma
            risultato numero numeri cifra cifre unità decine centinaia risposta uguale totale ricontrollo ricontrolliamo ricontrollare
            verifichiamo verifica verificare controlliamo controllo rifacciamo rifaccio calcolo conto sbagliato sbagliata errore giusto
            corretto aspetta aspettate attimo momento prova di nuovo
            """,
        ["nl"] = """
            de het een en of maar als dan dus ook nog al niet geen is zijn was waren heeft hebben had ik je jij hij zij wij we ze het mij
            me ons met voor van naar op in aan bij uit over onder tussen door tot zonder om hoe wat wie waar waarom wanneer welke elke alle
            deze dit die dat hier nu daar zo zeer meer minder gelijk is som uitkomst getal getallen eenheden tientallen honderdtallen
            antwoord controleren controle controleer klopt wacht even nogmaals keer opnieuw vergist fout goed juist rekenen reken
            berekenen hoeveel samen totaal
            """,
        ["pl"] = """
            i a w we na z ze do od o u po przy przez dla bez że to ten ta te jest są był była było będzie nie tak jak ale lub czy więc
            już jeszcze też tylko bardzo więcej mniej teraz tu tam potem najpierw razem ile jaki jaka który która które każdy wszystko
            się mi mnie ja ty on ona my wy oni wynik suma sumy liczba cyfra jedności dziesiątki setki odpowiedź równa równe równy
            sprawdzę sprawdźmy sprawdzam sprawdzenie sprawdzić przeliczę przeliczmy raz chwila moment pomyliłem pomyliłam błąd dobrze
            poprawnie poprawny źle czyli zgadza daje
            """,
        ["tr"] = """
            ve bir bu şu o da de ile için ama fakat değil var yok ben sen biz siz onlar mi mı mu mü ne nasıl neden kaç hangi her çok
            daha az şimdi sonra önce yani ise gibi kadar sonuç toplam sayı basamak birler onlar yüzler cevap eşit eder eşittir kontrol
            edeyim edelim tekrar dur bakalım sağlama doğru yanlış hata yaptım hesapla hesaplayalım artı eksi çarpı bölü
            """,
        ["vi"] = """
            và là của có không một các những cho với thì nhưng hay hoặc nếu tôi bạn chúng ta ta mình này đó kia ở trong trên dưới để khi
            đã đang sẽ rất hơn nữa cũng vậy nên rồi lại kết quả tổng số hàng đơn vị chục trăm đáp án bằng cộng trừ nhân chia bao nhiêu
            kiểm tra tính thử khoan chờ đợi sai đúng nhầm lần
            """,
        ["id"] = """
            dan yang di ke dari ini itu dengan untuk tidak bukan saya aku kita kami kamu dia mereka ada akan sudah telah sedang juga lagi
            atau tetapi tapi jika kalau maka jadi sehingga karena sangat lebih kurang setiap semua berapa bagaimana apa siapa mana hasil
            jumlah total angka satuan puluhan ratusan jawaban sama tambah kali bagi cek periksa ulang tunggu sebentar benar salah
            hitung keliru membeli harus seharga per dalam akhir tulis
            """,
        ["sv"] = """
            och i på av för med till från om att det den de en ett är var har hade jag du han hon vi ni man sig mig oss inte också men
            eller så som när där här nu då sedan hur vad vem vilken varje alla mycket mer mindre lika resultat summa tal siffra ental
            tiotal hundratal svar kontrollera kontrollerar kontroll vänta igen räkna räknar om fel rätt stämmer många gånger
            """,
        ["cs"] = """
            a i v ve na s se z ze do od o u po při pro bez že to ten ta je jsou byl byla bylo bude není ne ano jak ale nebo tak takže už
            ještě také jen velmi více méně teď tady pak nejdřív kolik který která které každý všechno já ty on ona my vy výsledek součet
            číslo číslice jednotky desítky stovky odpověď rovná rovno zkontroluji zkontrolujme zkontrolovat ověřím ověřit ověření znovu
            počkej počkat zkouška správně chyba spletl dohromady dává
            """,
        ["ro"] = """
            și sau dar este sunt era a al ai ale la de din în pe cu fără pentru despre că ce care cum când unde cât câte câți nu da eu tu
            el ea noi voi ei ele mă îmi ne se acest această aici acum apoi deci mai foarte fiecare toate tot rezultat suma număr cifra
            unități zeci sute răspuns egal verific verificăm verificare din nou stai greșit greșeală corect bine iar hai să face fac
            """,
        ["ca"] = """
            el la els les l un una uns unes és són era va ser estar està del dels al als de que i o però si no sí en per amb sense sobre
            entre fins des com molt més menys també ja aquí ara llavors després abans doncs així bé cada altre altra tot tots aquest
            aquesta això hi ha té tenim fa fer pot podem suma resultat nombre xifra resposta igual quant quants quina quin perquè
            on quan em et es ens meu seu comprovem comprovar comprovació revisem verifiquem espera un moment m'he equivocat correcte
            """,
        ["da"] = """
            og i på af for med til fra om at det den de en et er var har havde jeg du han hun vi man sig mig os ikke også men eller så
            som når hvor her nu da hvordan hvad hvem hver alle meget mere mindre lige resultat sum tal ciffer svar kontroller kontrollere
            tjek tjekke vent igen regne regner forkert rigtigt stemmer mange gange ialt alt ingen jo nok skal vil kan
            ble blir deg meg vår hvis sjekk sjekke riktig feil regn ut sammen etter
            """,
        ["fi"] = """
            ja on ei se että kun jos niin mutta tai kuin myös vielä nyt sitten siis koska ole oli ovat olen olemme me te he minä sinä
            hän tämä tuo nämä ne mikä mitä kuka missä miten miksi kuinka paljon monta yhteensä summa tulos luku numero vastaus yhtä
            suuri kertaa jaettuna plus miinus tarkistetaan tarkistan tarkistus tarkista lasketaan lasken uudelleen odota hetkinen
            oikein väärin virhe laskin täsmää eli joten siitä sen niitä kanssa jälkeen ennen
            """,
        ["hu"] = """
            a az és vagy de hogy nem is egy van volt lesz ez azt ezt ami aki mi ki mit hol hogyan miért mennyi hány minden sok több
            kevesebb most akkor majd tehát mert ha már még csak meg el fel le be össze összesen összeg eredmény szám számjegy válasz
            egyenlő szorozva osztva ellenőrzés ellenőrizzük ellenőrzöm nézzük újra számoljuk várj pillanat helyes hibás hiba
            rossz jó igen kell lehet pedig szerint után előtt között alma darab forint
            """,
        ["et"] = """
            ja on ei see et kui siis aga või ka veel nüüd nii sest olen oli me te nad mina sina tema need mis kes kus kuidas
            miks palju mitu kokku summa tulemus arv vastus võrdne korda jagatud kontrollime kontrollin kontroll uuesti oota
            hetk õige vale viga
            """,
        ["sw"] = """
            na ya wa za la kwa katika ni si ndiyo hapana kama lakini au pia bado sasa kisha hivyo sababu mimi wewe yeye sisi
            nyinyi wao hii hiyo huyu hao nini nani wapi vipi ngapi kiasi jumla jibu matokeo namba tarakimu sawa mara
            gawanya ongeza toa zidisha hakiki hebu tuhakiki nihakiki tena subiri ngoja kidogo sahihi kosa nimekosea ana alikuwa
            atakuwa kila baada kabla shilingi
            """,
        ["tl"] = """
            ang ng mga sa na at ay si ni kay para pero o kung hindi oo din rin pa lang ngayon tapos kaya dahil ako ikaw siya kami
            tayo kayo sila ito iyan iyon ano sino saan paano bakit ilan magkano kabuuan sagot resulta bilang numero pareho beses
            hatiin dagdag bawas suriin tingnan ulit muli sandali teka tama mali nagkamali mayroon may wala bawat lahat
            """,
        ["ms"] = """
            dan yang di ke dari ini itu dengan untuk tidak bukan saya aku kita kami awak dia mereka ada akan sudah telah sedang juga
            lagi atau tetapi jika kalau maka jadi kerana sangat lebih kurang setiap semua berapa bagaimana apa siapa mana hasil jumlah
            nombor angka jawapan sama tambah darab bahagi semak periksa semula tunggu sekejap betul salah kira membeli harga ringgit
            dalam akhir letakkan tulis
            """,
        ["sk"] = """
            a i v vo na s so z zo do od o u po pri pre bez že to ten tá je sú bol bola bolo bude nie áno ako ale alebo tak takže už
            ešte tiež len veľmi viac menej teraz tu potom koľko ktorý ktorá ktoré každý všetko ja ty on ona my vy výsledok súčet
            číslo číslica odpoveď rovná skontrolujem skontrolujme overím overiť znova počkaj skúška správne chyba pomýlil spolu
            """,
        ["hr"] = """
            i u na s sa z za do od o po pri bez da je su bio bila bilo će ne nije kako ali ili tako već još također samo vrlo više
            manje sada ovdje onda koliko koji koja koje svaki sve ja ti on ona mi vi oni rezultat zbroj broj znamenka odgovor jednako
            provjerimo provjerit provjera provjeravam ponovno opet čekaj trenutak točno tačno greška pogriješio ukupno puta
            """,
        ["sl"] = """
            in v na s z za do od o po pri brez da je so bil bila bilo bo ne ni kako ali tako že še tudi samo zelo več manj zdaj tukaj
            potem koliko kateri katera vsak vse jaz ti on ona mi vi oni rezultat vsota število števka odgovor enako preverimo
            preverim preverjanje ponovno spet počakaj trenutek pravilno napaka zmotil skupaj krat
            """,
        ["lt"] = """
            ir yra buvo bus ne taip kad bet ar arba jau dar pat tik labai daugiau mažiau dabar čia tada kiek kuris kuri kiekvienas
            viskas aš tu jis ji mes jūs jie rezultatas suma skaičius skaitmuo atsakymas lygu patikrinkime patikrinsiu patikrinimas
            kartą vėl palaukite palauk teisingai klaida suklydau iš viso kartų su be apie už po
            """,
        ["lv"] = """
            un ir bija būs nav jā ka bet vai arī jau vēl tikai ļoti vairāk mazāk tagad šeit tad cik kurš kura katrs viss es tu viņš
            viņa mēs jūs viņi rezultāts summa skaitlis cipars atbilde vienāds pārbaudīsim pārbaudu pārbaude vēlreiz atkal pagaidi
            pareizi kļūda kļūdījos kopā reizes ar bez par uz pēc
            """,
    };

    // After Words: static fields initialize in order.
    private static readonly (string Language, HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup)[] Lookups =
        [.. Words.Select(w => (w.Key, new HashSet<string>(w.Value.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>()))];
}
