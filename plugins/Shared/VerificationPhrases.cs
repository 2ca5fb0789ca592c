using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Harness.Plugins.Shared;

/// <summary>
/// The self-verification phrases the detector tracks, each under a short name used in metric names
/// (<c>phrase/&lt;name&gt;_rate</c>): the seed's phrases and the reflection keywords R1-Zero replications count (rethink,
/// re-evaluate, alternatively, verify, …), English phrasings beyond them (on second thought, let me confirm, sanity check,
/// plugging back in, …), and "wait" and "re-check" in the languages base models mix into their reasoning: Chinese,
/// Japanese, Korean, Russian and Ukrainian, Arabic and Persian, Hindi, Thai, Spanish, Portuguese, French, German, Italian,
/// Dutch, Polish, Turkish, Vietnamese, Indonesian, Swedish, Czech, Romanian, Catalan, Danish and Norwegian, Finnish,
/// Hungarian, Swahili, Tagalog, Malay, Greek, Hebrew, Bengali and Tamil (<c>wait-zh</c>, <c>recheck-pt</c>, …).
/// Words that also have an ordinary sense ("wait", "actually", "verify", "check") count only in the forms a re-check
/// takes ("Wait,", "let me verify", "Check:"), so "a 15-minute wait" or "a check for $40" is not one. A phrase list
/// always lags what models write: <see cref="Rederivation"/> finds re-checks by their numbers instead.
/// </summary>
internal static class VerificationPhrases
{
    /// <summary>Name, pattern and script of every tracked phrase, English's in the order the seed says they rise.</summary>
    public static IReadOnlyList<Phrase> All { get; } =
    [
        new("wait", Scripts.Latin, @"(^|(?<=[.!?:;,—\n>""“(])|(?<=[.!?:;,—\n>""“(]\s)|(?<=[.!?:;,—\n>""“(]\s\s))wait(?=\s*[,.!?—–])|\bbut wait\b|\bno,? wait\b|\bwait a (second|moment|minute|sec)\b|\bhold on\b|\bhang on\b|\bhmm+(?=\s*[,.!?])"),
        new("recheck", Scripts.Latin, @"\b(re-?check\w*|double[- ]check\w*|check(ing)? (it |this |that )?again|check(ing)? by|cross-?check\w*|(let me|let's|let us|I'll|I will|we can|I can|now) (just |quickly )?check\b|check\s*:|checking\s*:|sanity check\w*|quick check|as a check|(that|it|this|which|everything) checks out|recount\w*)(?!\w)"),
        new("actually", Scripts.Latin, @"\bactually\s*[,:]|\bno,? actually\b|\bactually,? (that|this|it)('s| is| was)? (not|wrong|incorrect)\b"),
        new("mistake", Scripts.Latin, @"\b(I made (a|an) (mistake|error)|I confused myself|my mistake|I think I made|that('s| is) (not right|wrong|incorrect)|that can'?t be right|(doesn'?t|does not) (look|seem) right|something('s| is) (off|wrong)|oops|uh[- ]oh|scratch that|(that|this|which) (is|seems|looks) (plausible|reasonable))\b"),
        new("method-2", Scripts.Latin, @"\b(method 2|second method|another method|another way|a different way|by columns|other way round)\b"),
        new("alternatively", Scripts.Latin, @"\balternatively\b"),
        new("rethink", Scripts.Latin, @"\b(rethink|reconsider|re-?evaluat\w*|re-?examin\w*|reassess|think again|try again|on second thought|on reflection|looking (at (it|this|that) )?again|looking back|going back (over|to|the other way)|working back(wards)?|let me (redo|recompute|recalculate|recount)|recompute\w*|recalculat\w*|redo(ing)? (it|this|that|the))\b"),
        new("verify", Scripts.Latin, @"\b((let me|let's|let us|I'll|I will|we can|I can|now|quickly|to) (just |quickly )?(verify|confirm) (this|that|it|the|our|my|by|with|using)|(let me|let's|let us|I'll) (just )?(verify|confirm)|to (verify|confirm|check)\s*[,:]|verify\s*:|verification\s*:|(^|(?<=[.!?:;\n>])|(?<=[.!?:;\n>]\s)|(?<=[.!?:;\n>]\s\s))(verifying|confirming)|(verifying|confirming) (this|that|it|the (answer|result|sum|product|total|solution)|our|my|by|with|once|again)|to be (sure|safe|certain)|(let me|let's|just to|I should|I need to|I want to|we should) (just )?make sure|does (this|that|it) make sense|plug(ging)? (\w+ )?back in|substitut\w* (\S+ )?back)(?!\w)"),
        // The other languages, "wait" and "re-check" each. Chinese and Japanese have no spaces, so no word boundaries.
        new("wait-zh", Scripts.Han, "等等|等一下|等一等|且慢|慢着|不对[，,。！]|嗯[，,]不"),
        new("recheck-zh", Scripts.Han, "让我(再|重新)?(检查|验证|核对|确认|算|看)|再(检查|验证|核对|确认|算|看)一(下|遍|次)|重新(检查|计算|算|核对|验证)|我(算|弄|搞|看)错了|验算|检验一下|核对一下|确认一下|好像(错|不对)|检查一下|再算一遍|复核|验证一下"),
        new("wait-ja", Scripts.Kana | Scripts.Han, "ちょっと待って|待って|待てよ|あれ[、。？?]|おっと|いや[、,]"),
        new("recheck-ja", Scripts.Kana | Scripts.Han, "確認(します|しよう|してみ|すると|すれば)|検算|見直(し|す|そう|すと)|確かめ(る|よう|ます|てみ|ると)|もう一度(計算|確認|見|やり)|計算し直|間違え(た|ました|てい)|違う[。、]|念のため|検証"),
        new("wait-ko", Scripts.Hangul, "잠깐|잠시만|어라|아니[,.]|아,"),
        new("recheck-ko", Scripts.Hangul, "다시 ?(확인|계산|검토|봐|보면|보자|세어)|확인해 ?(보|봅|보면|보자)|검산|검토해|틀렸|재확인|다시 한 ?번|맞는지 (확인|보)|확인하면|검증"),
        new("wait-ru", Scripts.Cyrillic, @"\b(подожд(и|ите)|стоп|постой|минутку|хм+|зачекай|стривай)\b"),
        new("recheck-ru", Scripts.Cyrillic, @"\b(провер(ю|им|ка|ить|яю|ьте|им-ка)|проверка|перепровер\w*|пересчита\w*|пересчёт|пересчет|ошиб(ка|ся|лась|лись)|убедимся|сверим|ещё раз|еще раз|перевір\w*|перерах\w*|помил\w*|ще раз)\b"),
        new("wait-ar", Scripts.Arabic, "انتظر|لحظة|مهلا|صبر کن|یک لحظه"),
        new("recheck-ar", Scripts.Arabic, "تحقق|أتحقق|نتحقق|لنتحقق|أراجع|نراجع|مراجعة|خطأ|أعيد الحساب|إعادة الحساب|أتأكد|للتأكد|بررسی|امتحان کن|دوباره حساب|اشتباه|وارسی|چک کن"),
        new("wait-hi", Scripts.Devanagari, "रुको|रुकिए|ज़रा रुको|एक मिनट"),
        new("recheck-hi", Scripts.Devanagari, "जाँच|जांच|दोबारा|फिर से (जाँच|गिन|हिसाब|देख|करते|कर)|गलत|ग़लत|सत्यापन|पुष्टि"),
        new("wait-th", Scripts.Thai, "เดี๋ยว(ก่อน)?|ช้าก่อน"),
        new("recheck-th", Scripts.Thai, "ตรวจสอบ|คิดใหม่|ผิด|ลองคำนวณ|ทวน|เช็ก|คำนวณใหม่"),
        new("wait-es", Scripts.Latin, @"\b(espera|esperen|un momento|un segundo|aguarda)\s*[,.!:]"),
        new("recheck-es", Scripts.Latin, @"\b((d[ée]jame|voy a|vamos a) (re)?(verificar|comprobar|revisar|calcular|repasar)|verifiquemos|comprobemos|revisemos|repasemos|vuelvo a (revisar|comprobar|calcular)|me equivoqu[ée]|comprobaci[oó]n\s*:|verificaci[oó]n\s*:)"),
        new("wait-pt", Scripts.Latin, @"\b(espera|espere|calma|opa|pera[íi]|p[eê]ra a[íi])\s*[,.!:]"),
        new("recheck-pt", Scripts.Latin, @"\b((deixa|deixe)[- ](eu|me) (conferir|verificar|checar|revisar|refazer)|vamos (conferir|verificar|checar|refazer|revisar)|conferindo|verificando|refazendo|errei|me enganei|recalculando|conferir)\b"),
        new("wait-fr", Scripts.Latin, @"\b(attend(ez|s)|un instant)\s*[,.!:]"),
        new("recheck-fr", Scripts.Latin, @"(\bv[ée]rifions|\brev[ée]rifi\w*|laisse-moi v[ée]rifier|\bje (re)?v[ée]rifie|\brecalculons|\brecomptons|\bje me suis tromp[ée]e?|\bcontr[ôo]lons|\bv[ée]rification\s*:|\bje refais|\brefaisons)"),
        new("wait-de", Scripts.Latin, @"\b(warte|(?-i:Moment)|halt|Augenblick)\s*[,.!:]"),
        new("recheck-de", Scripts.Latin, @"\b((lass|lasst) (mich|uns) (das )?(noch ?(ein)?mal )?(überprüfen|prüfen|nachrechnen|kontrollieren)|überprüfen wir|prüfen wir|ich prüfe (das )?nach|ich rechne nach|nachgerechnet|ich habe mich verrechnet|(?-i:Probe)\s*:|stimmt (das|es)\s*\?|(?-i:Kontrolle)\s*:)"),
        new("wait-it", Scripts.Latin, @"\b(aspett(a|ate)|un attimo|un momento)\s*[,.!:]"),
        new("recheck-it", Scripts.Latin, @"\b(ricontroll\w*|verifichiamo|controlliamo|rifacciamo (il )?(conto|calcolo)|ricalcol\w*|mi sono sbagliat[oa]|ho sbagliato|(?-i:Prova)\s*:|(?-i:Verifica)\s*:)"),
        new("recheck-nl", Scripts.Latin, @"\b(wacht\s*[,.!:]|even (controleren|checken|nagaan|narekenen)|(?-i:Controle)\s*:|klopt (dat|het)\s*\?|ik heb me vergist|nog(maals| een keer) (controleren|rekenen|berekenen|nagaan))"),
        new("recheck-pl", Scripts.Latin, @"\b(chwila\s*[,.!:]|sprawdź\w*|sprawdz\w*|przelicz\w*|pomyli(łem|łam|łe[mś])|jeszcze raz)"),
        new("recheck-tr", Scripts.Latin, @"\b(dur\s*[,.!:]|bir dakika|kontrol (edeyim|edelim|et)|tekrar (kontrol|hesapla)\w*|sağlama|yanlış (hesapladım|yaptım)|hata yaptım)"),
        new("recheck-vi", Scripts.Latin, @"\b(khoan|chờ đã|đợi đã|kiểm tra lại|tính lại|thử lại|nhầm|sai rồi)"),
        new("recheck-id", Scripts.Latin, @"\b(tunggu\s*[,.!:]|sebentar\s*[,.!:]|cek (lagi|ulang|kembali)|periksa (lagi|kembali|ulang)|hitung (ulang|lagi)|salah hitung|keliru)"),
        new("recheck-sv", Scripts.Latin, @"\b(vänta\s*[,.!:]|kontroll(era|erar|erat)?\b|räkna (om|igen)|jag räknade fel|stämmer (det|det här)\s*\?)"),
        new("recheck-cs", Scripts.Latin, @"\b(počkej|počkat|zkontroluj\w*|ověř\w*|zkouška\s*:|přepočít\w*|spletl\w*)"),
        new("recheck-ro", Scripts.Latin, @"\b(stai( puțin)?\s*[,.!:]|verific(ăm|am|a|ând)?\b|recalcul\w*|am greșit|greșeală)"),
        new("recheck-ca", Scripts.Latin, @"\b(comprovem|comprovaci[óo]\s*:|revisem|tornem a (calcular|comprovar|revisar)|m'he equivocat)"),
        new("recheck-da-no", Scripts.Latin, @"\b(vent\s*[,.!:]|lad (mig|os) (tjekke|kontrollere|regne)|la (meg|oss) (sjekke|kontrollere|regne)|tjek(ker)? (igen|efter)|sjekk(er)? (igjen|på nytt)|dobbelttjek\w*|dobbeltsjekk\w*|jeg regnede forkert|jeg regnet feil)"),
        new("recheck-fi", Scripts.Latin, @"\b(odota\s*[,.!:]|hetkinen|tarkist\w*|(lasketaan|lasken|katsotaan)\b[^.\n]{0,30}?(uudelleen|vielä kerran)|varmistetaan|laskin väärin)"),
        new("recheck-hu", Scripts.Latin, @"\b(várj\s*[,.!:]|egy pillanat|ellenőr\w*|számoljuk (újra|át)|újraszámol\w*|elszámoltam|tévedtem)"),
        new("recheck-sw", Scripts.Latin, @"\b(subiri\s*[,.!:]|ngoja\s*[,.!:]|(tu|ni)?hakiki\w*|tuhakikishe|kuhakiki|hebu (tuangalie|nikague|tukague) tena|nimekosea|tukague)"),
        new("recheck-tl", Scripts.Latin, @"\b(teka\s*[,.!:]|sandali\s*[,.!:]|suriin (natin|ko)\w*|tingnan (natin|ko) ulit|i-?check (natin|ko)|nagkamali (ako|ata))"),
        new("recheck-ms", Scripts.Latin, @"\b(semak (semula|lagi|balik)|mari (kita )?semak|kira semula|saya tersilap)"),
        new("recheck-el", Scripts.Greek, "περίμενε|μια στιγμή|ας (το |τα )?(ελέγξουμε|επαληθεύσουμε|ξαναϋπολογίσουμε)|έλεγχος|επαλήθευση|ξανά (υπολογ|ελέγχ)|έκανα λάθος"),
        new("recheck-he", Scripts.Hebrew, "רגע|נבדוק|בדיקה|נוודא|לוודא|נחשב שוב|בדוק שוב|טעיתי"),
        new("recheck-bn", Scripts.Bengali, "দাঁড়াও|এক মিনিট|যাচাই|আবার (দেখি|হিসাব|গুনে|পরীক্ষা|মিলিয়ে)|মিলিয়ে দেখ|পরীক্ষা করি|ভুল (করেছি|হয়েছে)"),
        new("recheck-ta", Scripts.Tamil, "பொறு|சரிபார்|மீண்டும் (கணக்கிட|பார்)|சோதி|தவறு (செய்த|நடந்த)"),
    ];

    /// <summary>
    /// Every match of every tracked phrase in a text, by place (at one place, in the order of <see cref="All"/>). Found
    /// once per text and kept while the text lives: the detectors and rewards of one assembly each ask for the same
    /// completion's phrases, and finding them is most of what they cost. A pattern runs only on a text that has a letter
    /// of its script.
    /// </summary>
    public static IReadOnlyList<PhraseMatch> In(string text) => Found.GetValue(text, Search);

    private static readonly ConditionalWeakTable<string, PhraseMatch[]> Found = new();

    private static PhraseMatch[] Search(string text)
    {
        var scripts = ScriptsOf.Text(text);
        return [.. All.SelectMany((phrase, i) => (phrase.Script & scripts) == 0 ? [] : phrase.Pattern.Matches(text).Select(m => new PhraseMatch(i, m.Index, m.Length))).OrderBy(m => m.Index)];
    }
}

/// <summary>A tracked phrase: its name in metric names, its pattern, and the scripts it is written in.</summary>
internal sealed record Phrase(string Name, Scripts Script, Regex Pattern)
{
    public Phrase(string name, Scripts script, string pattern) : this(name, script, new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled)) { }
}

/// <summary>A tracked phrase found in a text.</summary>
/// <param name="Phrase">Its place in <see cref="VerificationPhrases.All"/>.</param>
internal readonly record struct PhraseMatch(int Phrase, int Index, int Length)
{
    public string Name => VerificationPhrases.All[Phrase].Name;
}
