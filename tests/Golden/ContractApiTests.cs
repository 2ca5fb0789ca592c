using System.Reflection;
using Harness.Abstractions;
using Harness.Tests.Golden.Fixtures;
using Snapshooter.Xunit;

namespace Harness.Tests.Golden;

/// <summary>
/// The public API of <c>Harness.Abstractions</c>, the plugin contract, as text: any change to it fails this
/// snapshot until the snapshot is updated on purpose (and <see cref="ContractVersion"/> with it).
/// </summary>
public class ContractApiTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void The_public_api_of_the_contract_matches_its_snapshot()
    {
        var api = typeof(IReward).Assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal).SelectMany(Describe);

        Assert.Contains($"    public const String Current = \"{ContractVersion.Current}\"", api);
        Snapshot.Match(string.Join('\n', api));
    }

    [Fact]
    public void The_contract_package_and_the_plugin_template_carry_the_contract_version_and_the_assembly_only_its_major()
    {
        var assembly = typeof(IReward).Assembly;
        var package = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var template = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "templates", "harness-plugin", ".template.config", "template.json")))!;

        Assert.Equal(ContractVersion.Current + ".0", package);
        Assert.Equal(new Version(ContractVersion.Major, 0, 0, 0), assembly.GetName().Version);
        Assert.Equal(ContractVersion.Current + ".0", (string)template["symbols"]!["sdkVersion"]!["defaultValue"]!);
    }

    private static IEnumerable<string> Describe(Type type)
    {
        var kind = type.IsInterface ? "interface" : type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : "class";
        var bases = new[] { type.BaseType }.Where(b => b is not null && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum)).Select(b => Name(b!))
            .Concat(type.GetInterfaces().Select(Name).Order(StringComparer.Ordinal));
        yield return $"{kind} {type.FullName}{(bases.Any() ? " : " + string.Join(", ", bases) : "")}";
        var members = type.GetMembers(Declared).Select(Member).OfType<string>().Order(StringComparer.Ordinal);
        foreach (var member in members) yield return "    " + member;
    }

    private static string? Member(MemberInfo member) => member switch
    {
        ConstructorInfo c => $"ctor({Parameters(c)})",
        MethodInfo m when m.IsSpecialName && !m.Name.StartsWith("op_", StringComparison.Ordinal) => null,
        MethodInfo m => $"{(m.IsStatic ? "static " : "")}{Name(m.ReturnType)} {m.Name}({Parameters(m)})",
        PropertyInfo p => $"{Name(p.PropertyType)} {p.Name} {{{Accessors(p)} }}",
        FieldInfo f when f.IsLiteral => $"public const {Name(f.FieldType)} {f.Name} = {Literal(f.GetRawConstantValue())}",
        FieldInfo f => $"{(f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{Name(f.FieldType)} {f.Name}",
        EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
        Type nested => $"nested {nested.Name}",
        _ => member.ToString(),
    };

    private static string Accessors(PropertyInfo p)
    {
        var set = p.SetMethod is { IsPublic: true } setter
            ? setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit") ? " init;" : " set;"
            : "";
        return (p.GetMethod is { IsPublic: true } ? " get;" : "") + set;
    }

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p => $"{(p.IsOut ? "out " + Name(p.ParameterType.GetElementType()!) : Name(p.ParameterType))} {p.Name}{(p.HasDefaultValue ? " = " + Literal(p.DefaultValue) : "")}"));

    private static string Literal(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    private static string Name(Type type)
    {
        if (type.IsByRef) return "ref " + Name(type.GetElementType()!);
        if (type.IsArray) return Name(type.GetElementType()!) + "[]";
        if (!type.IsGenericType) return type.Name;
        var name = type.Name[..type.Name.IndexOf('`')];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>";
    }
}
