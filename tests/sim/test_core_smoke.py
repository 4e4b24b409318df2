async def test_help_for_learner(course):
    result = await course.learner.slash(course.channel("general"), "help")
    assert result.ephemeral
    embed = result.response.embeds[0]
    names = [f.name for f in embed.fields]
    assert names == ["For learners"]
