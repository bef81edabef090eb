using CoreConsole.NetBoot.Nbi;

namespace CoreConsole.NetBoot.Tests.Nbi;

public class ModelMappingJsonTests
{
    [Fact]
    public void A_default_and_per_model_indexes_are_read_with_model_ids_intact()
    {
        var m = ModelMappingJson.Parse("""{"default": 864, "models": {"MacBookPro14,1": 1082, "MacPro1,1,Quad": 45}}""");
        m.DefaultIndex.ShouldBe((ushort)864);
        m.Models["MacBookPro14,1"].ShouldBe((ushort)1082);
        m.Models["MacPro1,1,Quad"].ShouldBe((ushort)45);
        m.Models.ContainsKey("macbookpro14,1").ShouldBeFalse();
    }

    [Fact]
    public void Both_keys_are_optional_and_a_null_default_means_none()
    {
        ModelMappingJson.Parse("{}").DefaultIndex.ShouldBeNull();
        ModelMappingJson.Parse("""{"default": null}""").Models.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"default": 0}""", "line 1, column 13 ($.default): Index 0 is outside 1-65535")]
    [InlineData("""{"default": 70000}""", "Index 70000 is outside 1-65535")]
    [InlineData("""{"default": "864"}""", "expected an NBI Index (1-65535), found String")]
    [InlineData("""{"model": {}}""", "unknown property \"model\"")]
    [InlineData("""{"models": []}""", "\"models\" must be an object")]
    [InlineData("""{"models": {"": 1}}""", "model identifier is empty")]
    [InlineData("""{"models": {"iMac5,1": 1, "iMac5,1": 2}}""", "model \"iMac5,1\" appears twice")]
    [InlineData("""{"default": 1, "default": 2}""", "property \"default\" appears twice")]
    [InlineData("""[1]""", "expected a JSON object")]
    [InlineData("{\n  \"default\": 1,\n  \"models\": {\"x\": 1.5}\n}", "line 3, column 19 ($.models[\"x\"]): Index 1.5 is outside 1-65535")]
    [InlineData("""{"default": 1""", "invalid JSON")]
    public void Bad_mapping_json_fails_with_position_and_reason(string json, string message) =>
        Should.Throw<ModelMappingException>(() => ModelMappingJson.Parse(json)).Message.ShouldContain(message);
}
