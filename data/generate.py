"""Generate the shipped sample datasets (fictional movies and retail products), deterministically.

Run from the repository root:  python data/generate.py
Same seed, same files: the CSVs are committed and this script is how they were made.

Both datasets are shaped to be importable into Amazon Personalize as they are:
``data/movies`` for a VIDEO_ON_DEMAND domain dataset group, ``data/retail`` for ECOMMERCE.
Every user has a taste (favourite genres or interests) and their interactions are sampled
from it, so recommendations trained on the interactions visibly make sense.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20231127
NAMESPACE = "com.amazonaws.personalize.schema"

# --------------------------------------------------------------------------------------------
# Movies (VIDEO_ON_DEMAND)
# --------------------------------------------------------------------------------------------

# Per primary genre: titles (all invented), protagonists, what happens, where, what is at
# stake, and the key visual a poster would show. Descriptions are assembled from one of each.
MOVIE_POOLS: dict[str, dict[str, list[str]]] = {
    "Action": {
        "titles": [
            "Breakneck Lisbon",
            "Red Line Runner",
            "Iron Convoy North",
            "Zero Hour Extraction",
            "Steel Velocity",
            "The Last Gauntlet",
            "Burning Fuse",
            "Rooftop Sprint",
            "Hard Stop at Kilometre 9",
            "Blizzard Pass",
            "The Getaway Clause",
            "Runaway Freight",
            "Lockdown Tower",
            "Smokejumper",
            "Bodyguard Down",
        ],
        "hero": [
            "A retired getaway driver",
            "A disgraced bodyguard",
            "A bridge engineer with a military past",
            "A stunt double",
            "An off-duty paramedic",
            "A veteran smokejumper",
        ],
        "plot": [
            "is pulled into one last job",
            "has twelve hours to clear her name",
            "must escort a witness across a locked-down city",
            "takes on the crew that hijacked his train",
            "races a rival crew to a stolen prototype",
        ],
        "setting": [
            "in a gridlocked Lisbon",
            "on a mountain highway during a blizzard",
            "across the rooftops of a neon harbor city",
            "aboard a runaway freight train",
            "inside a skyscraper under lockdown",
        ],
        "stakes": [
            "Every exit is watched and every ally has a price.",
            "The clock is ticking and the city is the weapon.",
            "One wrong turn and nobody walks away.",
            "The only way out is straight through.",
        ],
        "visual": [
            "a lone figure silhouetted against an exploding fuel depot",
            "a motorcycle leaping between rooftops at dusk",
            "a freight train cutting through a snowstorm",
            "a shattered skyscraper window high above the city",
        ],
    },
    "Adventure": {
        "titles": [
            "The Glass Dunes",
            "Atlas of the Far North",
            "The Emerald Passage",
            "Sunken Compass",
            "The Cartographer's Daughter",
            "River Without a Name",
            "Seaplane to Nowhere",
            "The Salt Road Expedition",
            "Beyond the Cloud Forest",
            "The Drowned Archipelago",
            "Wreck of the Marisol",
            "Far Horizon Bay",
            "Northern Lanterns",
        ],
        "hero": [
            "A cartographer's daughter",
            "A washed-up treasure hunter",
            "An estranged heir",
            "A young ship's cook",
            "A botanist on her first expedition",
        ],
        "plot": [
            "follows a century-old map",
            "sets out to find a river no one has charted",
            "joins a salvage crew chasing a legendary wreck",
            "crosses a continent on a borrowed seaplane",
            "searches for a city swallowed by the jungle",
        ],
        "setting": [
            "through the fjords of the far north",
            "into the cloud forests of the Andes",
            "across a desert of shifting glass dunes",
            "among the islands of a forgotten archipelago",
        ],
        "stakes": [
            "What they find will change what they came for.",
            "The map was drawn to keep people out.",
            "The journey back is harder than the journey there.",
            "Somebody else is reading the same map.",
        ],
        "visual": [
            "a seaplane banking over turquoise lagoons",
            "explorers silhouetted on a ridge above an endless jungle",
            "a ship's bow breaking through ice floes",
            "a torchlit stairway descending into ancient ruins",
        ],
    },
    "Animation": {
        "titles": [
            "The Paper Kite",
            "Clockwork Mouse",
            "A Cloud Named Pim",
            "The Sleepless Fox",
            "Moonbeam and the Grump",
            "The Teapot Orchestra",
            "Little Umbrella",
            "Bolt Left Behind",
            "The Music Box Town",
            "Balloon Over Bramble",
            "The Marvelous Chimney Sweep",
        ],
        "hero": [
            "A clockwork mouse",
            "A shy cloud",
            "A lighthouse keeper's paper kite",
            "A young fox who cannot sleep",
            "A toy robot left behind after a move",
        ],
        "plot": [
            "sets off to find the way home",
            "discovers it can paint the sky",
            "befriends the grumpy moon",
            "enters a contest it has no chance of winning",
            "tries to deliver one very important letter",
        ],
        "setting": [
            "through a city of rooftops and chimneys",
            "across a quilted countryside",
            "in a forest where the seasons trade places",
            "in a town that lives inside a music box",
        ],
        "stakes": [
            "Along the way it learns that small is not the same as weak.",
            "Friendship turns out to be the best map of all.",
            "Getting lost is where the adventure starts.",
        ],
        "visual": [
            "a paper kite soaring over a patchwork of rooftops",
            "a tiny robot under a giant glowing moon",
            "a fox curled under a starry sky full of lanterns",
            "a balloon drifting over a watercolor valley",
        ],
    },
    "Comedy": {
        "titles": [
            "Double Booked",
            "Goat Expectations",
            "Fake It Till Monday",
            "The Worst Road Trip Ever",
            "Pool Party Rescue",
            "Accidental Caterers",
            "Heatwave Hotel",
            "My Ex's New Minivan",
            "Lawn Ornament Wars",
            "The Borrowed Weekend",
            "Bake Off the Rails",
            "No Filter Mr. Fenn",
            "Totally Inherited",
            "The Reunion Disaster",
            "Best Man Down",
        ],
        "hero": [
            "An overconfident wedding planner",
            "A food-truck owner",
            "A hypochondriac accountant",
            "The youngest of a family of competitive bakers",
            "A substitute teacher with no filter",
        ],
        "plot": [
            "accidentally books the same venue twice",
            "inherits a failing goat farm",
            "has to fake an engagement for one weekend",
            "gets stuck on a road trip with his ex's new partner",
            "enters a talent show to save the town pool",
        ],
        "setting": [
            "in a sleepy seaside town",
            "during the worst heatwave on record",
            "over one chaotic holiday weekend",
            "in a suburb obsessed with lawn ornaments",
        ],
        "stakes": [
            "What could possibly go wrong? Everything.",
            "The plan is simple. The people are not.",
            "Nobody said growing up would be this embarrassing.",
        ],
        "visual": [
            "a wedding cake sliding off a convertible's back seat",
            "two food trucks parked nose to nose on a sunny pier",
            "a goat wearing a party hat in a farmhouse kitchen",
            "a packed minivan with luggage piled to the sky",
        ],
    },
    "Crime": {
        "titles": [
            "The Marseille Ledger",
            "Casino Barge",
            "Crooked Precinct",
            "Night Cab",
            "The Clean Alibi",
            "Dockside Money",
            "The Safecracker's Pension",
            "Blue Harbor Verdict",
            "Hollow Score",
            "Forger's Exit",
            "Rain on the Docks",
            "The Senator's Smuggler",
            "Silver Dollar Boomtown",
        ],
        "hero": [
            "A rookie detective",
            "A forger who wants out",
            "A public defender",
            "A night-shift cab driver",
            "A former safecracker",
        ],
        "plot": [
            "uncovers a ledger that half the city wants burned",
            "plans the perfect heist on a casino barge",
            "takes a case nobody else will touch",
            "witnesses a deal between a senator and a smuggler",
            "is framed for a robbery she only planned",
        ],
        "setting": [
            "in 1970s Marseille",
            "on the rain-soaked docks of a port city",
            "in the casinos of a desert boomtown",
            "inside a precinct where everyone is on the take",
        ],
        "stakes": [
            "In this town, the truth has a price.",
            "The only honest people are the ones who got caught.",
            "Every score has a cost, and someone always pays it.",
        ],
        "visual": [
            "a trench-coated figure under a flickering streetlight in the rain",
            "a stack of banded cash on a wet dockside crate",
            "neon casino lights reflected in a puddle",
            "a detective's corkboard of red string and photos",
        ],
    },
    "Documentary": {
        "titles": [
            "The Twilight Zone Below",
            "Keepers of the Light",
            "Night Market Kitchens",
            "Comet Chasers",
            "The Beekeepers' Year",
            "Restless Tides",
            "Living Archives",
        ],
        "hero": [
            "A documentary following deep-sea biologists chasing a creature nobody has filmed",
            "A portrait of three generations of lighthouse keepers on a windswept Atlantic coast",
            "A film about the street chefs of Southeast Asia's night markets",
            "A documentary about amateur astronomers tracking a comet across three continents",
            "A year with the beekeepers of Patagonia",
        ],
        "plot": [
            "filmed over five years",
            "told in their own words",
            "shot over a single year",
        ],
        "setting": ["", "with never-before-seen footage", "from dawn to dusk"],
        "stakes": [
            "A quiet, astonishing look at what people will do for what they love.",
            "Real people, real stakes, and a world worth saving.",
            "The story behind the story, told by those who lived it.",
        ],
        "visual": [
            "a bioluminescent jellyfish in the deep ocean dark",
            "a lighthouse beam sweeping over a stormy sea",
            "steam rising from a night market stall",
            "a telescope pointed at the Milky Way over mountains",
        ],
    },
    "Drama": {
        "titles": [
            "The Long Harvest",
            "Letters She Never Sent",
            "Still Water, Still Winter",
            "One More Round",
            "The Last Shift",
            "Mill Town Summer",
            "The Borrowed House",
            "Late Light in Galway",
            "The Vienna Inheritance",
            "Press Run",
            "A Room for Lily",
            "The Piano Teacher's Window",
            "Shoreline Hours",
            "Small Hours",
        ],
        "hero": [
            "A widowed piano teacher",
            "A steelworker's son",
            "The eldest of three sisters",
            "An aging boxer",
            "A nurse on her last shift before retirement",
        ],
        "plot": [
            "returns home to sell the family farm",
            "finds a box of letters her mother never sent",
            "takes in a runaway teenager",
            "gets one more shot at the title",
            "tries to keep a small-town newspaper alive",
        ],
        "setting": [
            "in a fading mill town",
            "over one long Midwestern summer",
            "in a coastal village in Ireland",
            "in post-war Vienna",
        ],
        "stakes": [
            "Some wounds heal. Some become home.",
            "Nothing about going back is simple.",
            "What we inherit is never only what we are given.",
        ],
        "visual": [
            "a farmhouse alone in a golden wheat field at dusk",
            "a piano in an empty room lit by a single window",
            "a figure on a pier looking out at a grey sea",
            "a bundle of old letters tied with ribbon",
        ],
    },
    "Family": {
        "titles": [
            "The Treehouse Portal",
            "Science Fair Showdown",
            "Circus for a Day",
            "Save the Carousel",
            "Eclipse Road Trip",
            "First Snow on Lake Wren",
            "Three-Legged Hero",
            "The Great Backyard Campout",
            "Grandma's Secret Island",
            "Summer of the Lost Pup",
            "The Magic Lemonade Stand",
        ],
        "hero": [
            "Two siblings",
            "A kid inventor and her best friend",
            "A grandmother and her grandson",
            "A family of five",
            "A girl and her three-legged dog",
        ],
        "plot": [
            "discover a portal in their treehouse",
            "build a robot to win the science fair",
            "run away to join a traveling circus for a day",
            "try to save the town's old carousel",
            "take a road trip to see the last total eclipse of the century",
        ],
        "setting": [
            "in a small lakeside town",
            "during the first snow of the year",
            "over one unforgettable summer",
            "in a neighborhood full of secrets",
        ],
        "stakes": [
            "Home is wherever your people are.",
            "Sometimes the biggest adventures start in the backyard.",
            "Together, they are braver than they think.",
        ],
        "visual": [
            "a glowing treehouse at twilight with fireflies",
            "kids on bicycles racing down a hill toward a lake",
            "a carousel lit up against a summer night sky",
            "a dog and a girl watching an eclipse from a car roof",
        ],
    },
    "Fantasy": {
        "titles": [
            "The Thorned Crown",
            "Ember Oath",
            "The Singing Forge",
            "Shadowthief",
            "Last Rider of Veyra",
            "The Eclipse Crown",
            "Bones of the Titan",
            "The Fae Bargain",
            "Winter's Throne",
            "Roots of the World-Tree",
            "The Silver Sigil",
            "Ashen Grimoire",
            "The Hollow Gate",
        ],
        "hero": [
            "A reluctant apprentice mage",
            "An exiled princess",
            "A blacksmith who can hear metal sing",
            "A thief with a cursed shadow",
            "The last dragon rider",
        ],
        "plot": [
            "must return a stolen crown before the eclipse",
            "discovers the oath that binds her kingdom is a lie",
            "is chosen by a sword nobody else can lift",
            "leads a band of misfits against a sleeping god",
            "bargains with the queen of the fae",
        ],
        "setting": [
            "in a kingdom where winter never ends",
            "across the floating isles of Veyra",
            "beneath the roots of a world-tree",
            "in a city built on the bones of a titan",
        ],
        "stakes": [
            "Magic always asks for something back.",
            "Legends are written by those who survive them.",
            "The prophecy never said who would win.",
        ],
        "visual": [
            "a dragon circling a castle on a cliff under a blood moon",
            "a glowing sword in a frozen throne room",
            "floating islands linked by ancient stone bridges",
            "a cloaked figure before a gate of living thorns",
        ],
    },
    "Horror": {
        "titles": [
            "Between the Stations",
            "The Blueprint Room",
            "The Cabin at Salt Lake",
            "Dead Air",
            "Three A.M. Bells",
            "The Shared Dream",
            "Whispering Bayou",
            "The Pale Orchard",
            "Snowbound Lodge",
            "The Asylum Tapes",
            "Hollow Choir",
            "The Attic Below",
        ],
        "hero": [
            "A night-shift radio host",
            "A family renovating an old farmhouse",
            "A group of college friends",
            "A hospice nurse",
            "A sound engineer",
        ],
        "plot": [
            "starts hearing a voice between the stations",
            "finds a room that wasn't on the blueprints",
            "rents a cabin that the locals won't go near",
            "records something on tape that shouldn't exist",
            "realizes the town's children all share the same dream",
        ],
        "setting": [
            "deep in the Louisiana bayou",
            "in a snowed-in mountain lodge",
            "in an abandoned seaside asylum",
            "in a village where the church bells ring at 3 a.m.",
        ],
        "stakes": [
            "Some doors should stay closed.",
            "It already knows their names.",
            "Nobody who hears it sleeps again.",
        ],
        "visual": [
            "a lone farmhouse with one lit window under a dead tree",
            "a foggy lake with a small boat drifting empty",
            "a dark hallway with a door standing slightly open",
            "an old radio glowing in a pitch-black room",
        ],
    },
    "Musical": {
        "titles": [
            "Midnight at the Blue Note",
            "Factory Floor Follies",
            "Battle on the Boardwalk",
            "Cruise Ship Comeback",
            "Havana Rhapsody",
            "Chicago Encore",
            "The Jukebox Diner",
        ],
        "hero": [
            "A jazz pianist",
            "A small-town choir director",
            "A street dancer",
            "A washed-up pop star",
            "A struggling songwriter",
        ],
        "plot": [
            "gets one night to save a closing jazz club",
            "stages a musical in a shuttered factory",
            "enters a dance battle against her old crew",
            "attempts a comeback on a cruise-ship stage",
            "writes the song that could make or break her",
        ],
        "setting": [
            "in 1950s Harlem",
            "on the boardwalks of Atlantic City",
            "in a Chicago winter",
            "in the back streets of Havana",
        ],
        "stakes": [
            "Every heart has a rhythm. This is theirs.",
            "The show must go on, even when everything else falls apart.",
            "One song can change a life.",
        ],
        "visual": [
            "a spotlight on an empty stage with a grand piano",
            "dancers mid-leap under neon marquee lights",
            "a jukebox glowing in a rain-streaked diner",
            "a trumpet player on a fire escape at night",
        ],
    },
    "Mystery": {
        "titles": [
            "The Locked Room at Gull Island",
            "Overdue",
            "The Seventh Guest",
            "The Stranger in Every Photograph",
            "Aunt Edith's Tea",
            "Sleeper Car Nine",
            "The Crossword Killer",
            "Fog Over Wickham",
            "The Vanishing Portrait",
            "Cold Case Radio",
            "The Lighthouse Cipher",
            "The Missing Key",
            "Paper Clue",
        ],
        "hero": [
            "A retired crossword editor",
            "A small-town librarian",
            "An insurance investigator",
            "A true-crime podcaster",
            "A lighthouse keeper",
        ],
        "plot": [
            "investigates a guest who vanished from a locked room",
            "finds a coded message in a returned library book",
            "reopens a twenty-year-old disappearance",
            "notices the same stranger in every old photograph",
            "tries to solve her own aunt's poisoning",
        ],
        "setting": [
            "on a snowbound island estate",
            "in a sleepy English village",
            "aboard an overnight sleeper train",
            "in a fog-bound coastal town",
        ],
        "stakes": [
            "Everyone has an alibi. Someone is lying.",
            "The answer was hidden in plain sight all along.",
            "The closer she gets, the less she trusts herself.",
        ],
        "visual": [
            "a key on a velvet cushion in a candlelit study",
            "an old manor on a cliff wrapped in fog",
            "a sleeper train crossing a viaduct at night",
            "a magnifying glass over an old photograph",
        ],
    },
    "Romance": {
        "titles": [
            "Tuscan Vineyard Summer",
            "Night Train to Porto",
            "The Apartment Swap",
            "Rival at the Wedding",
            "Second Chance in Montreal",
            "Paris in the Rain",
            "The Florist's Letters",
            "Sweet Crust",
            "The Violinist Next Door",
            "Endless Summer Hearts",
            "Love, Unplanned",
            "The Country Vet",
            "Promises in the Snow",
            "Tangled Stars",
        ],
        "hero": [
            "A cynical travel writer",
            "A florist",
            "A pastry chef",
            "A violinist",
            "A small-town vet",
        ],
        "plot": [
            "falls for the one person she was sent to write about",
            "keeps running into the same stranger on the night train",
            "trades apartments with a stranger for the summer",
            "is matched with her high-school rival at a wedding",
            "gets a second chance with the one who left",
        ],
        "setting": [
            "in a sun-drenched Tuscan vineyard",
            "in snowy Montreal",
            "on the coast of Portugal",
            "in Paris during a rainy spring",
        ],
        "stakes": [
            "Some love stories take the long way around.",
            "Falling in love was never part of the plan.",
            "The heart wants what the heart wants.",
        ],
        "visual": [
            "two figures silhouetted against a sunset over vineyards",
            "a couple sharing an umbrella on a rainy Paris bridge",
            "a bouquet of wildflowers on a cafe table by the sea",
            "two hands almost touching across a train compartment",
        ],
    },
    "Sci-Fi": {
        "titles": [
            "The Neptune Distress Call",
            "First Message",
            "Borrowed Memories",
            "The Early Sunset",
            "The Earth That Won",
            "Drowned Shanghai",
            "Generation Ship",
            "Red Dust Colony",
            "Quantum Echo",
            "The Orbital Array",
            "Synthetic Caretaker",
            "Event Meridian",
            "Parallel Drift",
            "Deep Signal",
        ],
        "hero": [
            "A deep-space salvage pilot",
            "A linguist",
            "An android caretaker",
            "A colony engineer",
            "A physicist",
        ],
        "plot": [
            "picks up a distress call from a ship lost a century ago",
            "is asked to decode the first message from another star",
            "begins to remember a life she never lived",
            "discovers the colony's sun is going out early",
            "opens a door to a version of Earth that won",
        ],
        "setting": [
            "on a mining station orbiting Neptune",
            "in a drowned future Shanghai",
            "aboard a generation ship halfway to nowhere",
            "on a terraformed Mars",
        ],
        "stakes": [
            "The future is not what it was programmed to be.",
            "In deep space, nobody is coming.",
            "First contact was the easy part.",
        ],
        "visual": [
            "a lone astronaut before a vast ringed planet",
            "a derelict starship drifting through a nebula",
            "a neon megacity half-submerged in the sea",
            "a radio telescope array under an alien aurora",
        ],
    },
    "Thriller": {
        "titles": [
            "The Dead Handler",
            "One Night Inside",
            "The Smart Building",
            "Red-Eye Passenger",
            "The Second Ledger",
            "Silent Witness Protocol",
            "Berlin Black Channel",
            "Glass Tower",
            "The Istanbul Frequency",
            "Blind Cipher",
            "Final Hour Negotiator",
            "Narrow Escape Room",
            "The Frozen Print",
            "Whistleblower",
        ],
        "hero": [
            "A burned-out intelligence analyst",
            "A hostage negotiator",
            "A night-shift security guard",
            "A whistleblower",
            "A forensic accountant",
        ],
        "plot": [
            "discovers her handler has been dead for a week",
            "has one night to expose a conspiracy inside the agency",
            "is trapped in a smart building that has turned against him",
            "realizes the stranger on the flight knows everything about her",
            "finds a second set of books that someone will kill to keep hidden",
        ],
        "setting": [
            "in wintry Berlin",
            "on a cross-Atlantic red-eye flight",
            "inside a glass tower in Singapore",
            "across the back channels of Istanbul",
        ],
        "stakes": [
            "Trust no one, least of all yourself.",
            "The truth is buried, and so are the people who found it.",
            "Every move is being watched.",
        ],
        "visual": [
            "a shadowy figure behind rain-streaked glass",
            "a city skyline at night seen through a sniper's scope",
            "an empty airport corridor lit by red emergency light",
            "a single fingerprint on a frosted window",
        ],
    },
    "War": {
        "titles": [
            "Hold the Bridge",
            "Frozen Lake Crossing",
            "The Last Message",
            "Ridge of the Lost Company",
            "Winter in the Ardennes",
            "Burma Road",
        ],
        "hero": [
            "A young radio operator",
            "A field surgeon",
            "A company of farm boys",
            "A codebreaker",
            "A pilot shot down behind the lines",
        ],
        "plot": [
            "must hold a bridge for three days",
            "smuggles refugees across a frozen lake",
            "carries a message that could end the war",
            "is the last one standing on the ridge",
        ],
        "setting": [
            "in the Ardennes in the winter of 1944",
            "in the jungles of Burma",
            "on the Eastern Front",
            "in occupied Norway",
        ],
        "stakes": [
            "Courage is not the absence of fear.",
            "Some battles are won by those who refuse to leave.",
            "History remembers the victories. They remember the cost.",
        ],
        "visual": [
            "soldiers silhouetted on a snowy ridge at dawn",
            "a lone biplane over a burning field",
            "a bridge under fire against a smoky orange sky",
            "a field hospital tent glowing in a dark forest",
        ],
    },
    "Western": {
        "titles": [
            "Railroad Baron",
            "Water Rights",
            "Three Hundred Miles",
            "The Outlaw Who Taught Me",
            "Copper Mesa",
            "Lonesome Creek",
        ],
        "hero": [
            "A bounty hunter with a conscience",
            "A widowed rancher",
            "A young deputy",
            "A gunslinger who swore off killing",
        ],
        "plot": [
            "rides into a town run by a railroad baron",
            "defends her water rights against a cattle syndicate",
            "escorts a prisoner across three hundred miles of desert",
            "is hired to find the outlaw who taught him to shoot",
        ],
        "setting": [
            "in the New Mexico territory",
            "in a dying silver-mining town",
            "on the Oregon trail",
            "across the badlands of Dakota",
        ],
        "stakes": [
            "Out here, the law is whoever is left standing.",
            "Every man has a price. Hers is not for sale.",
            "Justice rides alone.",
        ],
        "visual": [
            "a lone rider on a ridge against a blazing sunset",
            "a dusty main street at high noon",
            "a steam train crossing a red-rock canyon",
            "a cowboy hat on a fence post in the desert wind",
        ],
    },
}

GENRES = sorted(MOVIE_POOLS)

# Plausible secondary genres for each primary genre.
COMPANIONS: dict[str, list[str]] = {
    "Action": ["Thriller", "Adventure", "Sci-Fi", "Crime", "Comedy", "Romance"],
    "Adventure": ["Action", "Fantasy", "Family", "Comedy", "Romance"],
    "Animation": ["Family", "Comedy", "Fantasy", "Adventure", "Musical"],
    "Comedy": ["Romance", "Family", "Drama", "Crime", "Action"],
    "Crime": ["Thriller", "Drama", "Mystery", "Action", "Comedy"],
    "Documentary": ["Drama", "Family", "Musical"],
    "Drama": ["Romance", "War", "Crime", "Family", "Musical"],
    "Family": ["Comedy", "Animation", "Adventure", "Fantasy"],
    "Fantasy": ["Adventure", "Action", "Romance", "Animation", "Horror"],
    "Horror": ["Thriller", "Mystery", "Comedy", "Sci-Fi"],
    "Musical": ["Romance", "Comedy", "Drama", "Family"],
    "Mystery": ["Thriller", "Crime", "Drama", "Horror", "Comedy"],
    "Romance": ["Comedy", "Drama", "Musical", "Fantasy", "Action"],
    "Sci-Fi": ["Thriller", "Action", "Adventure", "Horror", "Drama", "Romance"],
    "Thriller": ["Crime", "Mystery", "Action", "Sci-Fi", "Drama", "Romance"],
    "War": ["Drama", "Action", "Romance"],
    "Western": ["Action", "Drama", "Adventure", "Romance"],
}

# What a secondary genre adds to the story: appended as its own short sentence.
TWISTS: dict[str, list[str]] = {
    "Action": ["Then the shooting starts.", "And the chase is on."],
    "Adventure": ["The detour becomes the adventure of a lifetime."],
    "Animation": ["Told in hand-drawn colour."],
    "Comedy": ["Nothing goes to plan, hilariously.", "Chaos, as usual, follows."],
    "Crime": ["And somebody is skimming off the top."],
    "Documentary": ["Built from real interviews and archive footage."],
    "Drama": [
        "Old family wounds come to the surface.",
        "Nobody comes out of it unchanged.",
    ],
    "Family": ["The whole family gets dragged along."],
    "Fantasy": ["And something ancient wakes up.", "Magic has other plans."],
    "Horror": [
        "And something in the dark is watching.",
        "Not everyone makes it to morning.",
    ],
    "Musical": ["Told in songs that refuse to stay quiet."],
    "Mystery": ["Nobody is who they claim to be.", "A single clue changes everything."],
    "Romance": [
        "Falling in love is the most dangerous part.",
        "And an unexpected romance complicates everything.",
    ],
    "Sci-Fi": ["And the technology is not what it seems."],
    "Thriller": ["Someone is watching every move.", "Time is running out."],
    "War": ["History is closing in."],
    "Western": ["Out where the law runs thin."],
}

RATINGS = {
    "Animation": "G", "Family": "PG", "Musical": "PG", "Documentary": "PG",
    "Comedy": "PG-13", "Romance": "PG-13", "Adventure": "PG-13", "Fantasy": "PG-13",
    "Action": "PG-13", "Sci-Fi": "PG-13", "Drama": "PG-13", "Mystery": "PG-13",
    "Western": "PG-13", "Thriller": "R", "Crime": "R", "Horror": "R", "War": "R",
}  # fmt: skip


def _words(text: str) -> set[str]:
    cleaned = "".join(c if c.isalnum() else " " for c in text.lower())
    return {w.rstrip("s") for w in cleaned.split() if len(w) >= 4 and w not in STOPWORDS}


STOPWORDS = {"the", "with", "from", "that", "this", "their", "over", "into", "across"}


def _pick(rng: random.Random, options: list[str], title: str) -> str:
    """Choose an option, preferring ones that share a word with the title (keeps them coherent)."""
    matching = [o for o in options if _words(o) & _words(title)]
    return rng.choice(matching or options)


def make_movies(rng: random.Random) -> list[dict]:
    movies: list[dict] = []
    for primary in GENRES:
        pool = MOVIE_POOLS[primary]
        titles = rng.sample(pool["titles"], k=len(pool["titles"]))
        for title in titles:
            extra = rng.sample(COMPANIONS[primary], k=rng.choice([0, 1, 1, 1, 2]))
            genres = [primary, *extra]
            parts = (
                _pick(rng, pool["hero"], title),
                _pick(rng, pool["plot"], title),
                _pick(rng, pool["setting"], title),
            )
            sentence = " ".join(p for p in parts if p).rstrip(".") + "."
            second = rng.choice(TWISTS[extra[0]]) if extra else rng.choice(pool["stakes"])
            year = rng.randint(1984, 2025)
            created = datetime(year, rng.randint(1, 12), rng.randint(1, 28), tzinfo=timezone.utc)
            movies.append(
                {
                    "TITLE": title,
                    "YEAR": year,
                    "GENRES": "|".join(genres),
                    "DESCRIPTION": f"{sentence} {second}",
                    "KEY_VISUAL": _pick(rng, pool["visual"], f"{title} {sentence}"),
                    "CONTENT_CLASSIFICATION": RATINGS[primary],
                    "DURATION": float(rng.randint(84, 152)),
                    "CREATION_TIMESTAMP": int(created.timestamp()),
                }
            )
    rng.shuffle(movies)
    for i, movie in enumerate(movies, start=1):
        movie["ITEM_ID"] = f"m{i:04d}"
    return movies


# Viewer archetypes: favourite genres (strongest first), genres they avoid, and phrases their
# stated preferences are written from.
ARCHETYPES: list[dict] = [
    {
        "fav": ["Thriller", "Mystery", "Crime"],
        "avoid": ["Animation", "Musical"],
        "likes": [
            "slow-burn conspiracies",
            "twist endings",
            "spy stories",
            "whodunits",
        ],
    },
    {
        "fav": ["Romance", "Drama", "Comedy"],
        "avoid": ["Horror", "War"],
        "likes": [
            "swoony second chances",
            "love stories set abroad",
            "heartfelt family drama",
        ],
    },
    {
        "fav": ["Sci-Fi", "Adventure", "Action"],
        "avoid": ["Romance", "Musical"],
        "likes": [
            "first-contact stories",
            "space exploration",
            "big ideas",
            "time loops",
        ],
    },
    {
        "fav": ["Horror", "Thriller", "Mystery"],
        "avoid": ["Family", "Romance"],
        "likes": [
            "haunted houses",
            "creeping dread",
            "folk horror",
            "things that go bump",
        ],
    },
    {
        "fav": ["Family", "Animation", "Adventure"],
        "avoid": ["Horror", "Crime"],
        "likes": [
            "movies to watch with the kids",
            "talking animals",
            "feel-good adventures",
        ],
    },
    {
        "fav": ["Comedy", "Romance", "Animation"],
        "avoid": ["War", "Horror"],
        "likes": [
            "laugh-out-loud ensembles",
            "road-trip comedies",
            "quirky characters",
        ],
    },
    {
        "fav": ["Action", "Adventure", "Thriller"],
        "avoid": ["Documentary", "Musical"],
        "likes": [
            "car chases",
            "heists",
            "practical stunts",
            "lone heroes against the odds",
        ],
    },
    {
        "fav": ["Fantasy", "Adventure", "Animation"],
        "avoid": ["Documentary", "Crime"],
        "likes": ["dragons", "epic quests", "magic systems", "found families"],
    },
    {
        "fav": ["Drama", "Documentary", "Romance"],
        "avoid": ["Action", "Horror"],
        "likes": ["character studies", "true stories", "quiet, beautifully shot films"],
    },
    {
        "fav": ["War", "Western", "Drama"],
        "avoid": ["Animation", "Musical"],
        "likes": [
            "history",
            "stories of courage",
            "wide-open landscapes",
            "period pieces",
        ],
    },
    {
        "fav": ["Musical", "Romance", "Comedy"],
        "avoid": ["Horror", "War"],
        "likes": ["big song-and-dance numbers", "backstage stories", "jazz"],
    },
    {
        "fav": ["Crime", "Drama", "Thriller"],
        "avoid": ["Family", "Animation"],
        "likes": [
            "gritty detectives",
            "heist capers",
            "morally grey characters",
            "courtroom drama",
        ],
    },
]

AGE_GROUPS = ["18-24", "25-34", "35-44", "45-54", "55+"]
AVOID_PHRASES = ["not into {g}", "skips {g}", "can't stand {g}", "rarely watches {g}"]

EPOCH_2024 = int(datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp())
EPOCH_2026 = int(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp())


GENRE_WORDS = {
    "Action": "action movies", "Adventure": "adventure films", "Animation": "animation",
    "Comedy": "comedies", "Crime": "crime stories", "Documentary": "documentaries",
    "Drama": "dramas", "Family": "family films", "Fantasy": "fantasy", "Horror": "horror",
    "Musical": "musicals", "Mystery": "mysteries", "Romance": "romance",
    "Sci-Fi": "science fiction", "Thriller": "thrillers", "War": "war films",
    "Western": "westerns",
}  # fmt: skip


def _genre_word(genre: str) -> str:
    return GENRE_WORDS[genre]


def make_users(rng: random.Random, count: int) -> list[dict]:
    users = []
    for i in range(1, count + 1):
        arch_index = (i - 1) % len(ARCHETYPES)
        arch = ARCHETYPES[arch_index]
        fav = list(arch["fav"])
        # Vary the order of the 2nd/3rd favourite so users of one archetype differ.
        if rng.random() < 0.5:
            fav[1], fav[2] = fav[2], fav[1]
        fav = fav[: rng.choice([2, 3, 3])]
        likes = rng.sample(arch["likes"], k=2)
        avoid = rng.choice(arch["avoid"])
        prefs = (
            f"Loves {_genre_word(fav[0])}, especially {likes[0]} and {likes[1]}; "
            f"{rng.choice(AVOID_PHRASES).format(g=_genre_word(avoid))}."
        )
        users.append(
            {
                "USER_ID": f"u{i:04d}",
                "AGE_GROUP": rng.choice(AGE_GROUPS),
                "FAVORITE_GENRES": "|".join(fav),
                "PREFERENCES": prefs,
                "_avoid": arch["avoid"],
            }
        )
    return users


def _affinity(genres: list[str], fav: list[str], avoid: list[str]) -> float:
    weights = []
    for g in genres:
        if g in fav:
            weights.append(1.6 if g == fav[0] else 1.0)
        elif g in avoid:
            weights.append(0.03)
        else:
            weights.append(0.12)
    return max(weights) * 0.7 + sum(weights) / len(weights) * 0.3


def make_movie_interactions(
    rng: random.Random, users: list[dict], movies: list[dict]
) -> list[dict]:
    popularity = {m["ITEM_ID"]: rng.lognormvariate(0.0, 0.6) for m in movies}
    rows: list[dict] = []
    for user in users:
        fav = user["FAVORITE_GENRES"].split("|")
        weights = [
            (_affinity(m["GENRES"].split("|"), fav, user["_avoid"]) ** 2) * popularity[m["ITEM_ID"]]
            for m in movies
        ]
        count = rng.randint(24, 66)
        chosen: list[str] = []
        items = [m["ITEM_ID"] for m in movies]
        pool_items, pool_weights = list(items), list(weights)
        while len(chosen) < count:
            pick = rng.choices(range(len(pool_items)), weights=pool_weights)[0]
            chosen.append(pool_items.pop(pick))
            pool_weights.pop(pick)
        start = rng.randint(EPOCH_2024, EPOCH_2026 - 200 * 86400)
        stamps = sorted(rng.randint(start, start + 180 * 86400) for _ in chosen)
        for item_id, ts in zip(chosen, stamps, strict=True):
            if rng.random() < 0.25:
                rows.append(
                    {
                        "USER_ID": user["USER_ID"],
                        "ITEM_ID": item_id,
                        "TIMESTAMP": ts - rng.randint(60, 3600),
                        "EVENT_TYPE": "Click",
                    }
                )
            event = "Watch" if rng.random() < 0.8 else "Click"
            rows.append(
                {
                    "USER_ID": user["USER_ID"],
                    "ITEM_ID": item_id,
                    "TIMESTAMP": ts,
                    "EVENT_TYPE": event,
                }
            )
    rows.sort(key=lambda r: (r["TIMESTAMP"], r["USER_ID"], r["ITEM_ID"]))
    return rows


# --------------------------------------------------------------------------------------------
# Retail (ECOMMERCE)
# --------------------------------------------------------------------------------------------

RETAIL: dict[str, dict[str, tuple[tuple[float, float], list[str]]]] = {
    "outdoors": {
        "camping": (
            (39.0, 389.0),
            [
                "2-Person Tent",
                "Down Sleeping Bag",
                "Camp Stove",
                "Lantern",
                "Folding Chair",
            ],
        ),
        "hiking": (
            (19.0, 249.0),
            ["Trail Boots", "Daypack", "Trekking Poles", "Rain Shell", "Water Filter"],
        ),
        "cycling": (
            (15.0, 329.0),
            [
                "Bike Helmet",
                "Saddle Bag",
                "LED Bike Light",
                "Cycling Gloves",
                "Mini Pump",
            ],
        ),
    },
    "kitchen": {
        "cookware": (
            (24.0, 299.0),
            ["Cast-Iron Skillet", "Dutch Oven", "Chef's Knife", "Saucepan Set"],
        ),
        "coffee": (
            (12.0, 449.0),
            ["Pour-Over Kettle", "Burr Grinder", "French Press", "Espresso Cups"],
        ),
        "baking": (
            (9.0, 159.0),
            ["Stand Mixer Bowl", "Loaf Pan", "Silicone Baking Mat", "Rolling Pin"],
        ),
    },
    "electronics": {
        "audio": (
            (29.0, 399.0),
            ["Wireless Earbuds", "Bookshelf Speaker", "Noise-Cancelling Headphones"],
        ),
        "smart-home": (
            (19.0, 249.0),
            ["Smart Plug", "Video Doorbell", "Smart Thermostat", "Mesh Router"],
        ),
        "photography": (
            (25.0, 899.0),
            ["Mirrorless Lens", "Travel Tripod", "Camera Sling Bag", "SD Card"],
        ),
    },
    "books": {
        "fiction": (
            (9.0, 29.0),
            ["Mystery Novel", "Fantasy Saga", "Literary Novel", "Short Stories"],
        ),
        "cookbooks": (
            (15.0, 45.0),
            ["Weeknight Cookbook", "Baking Bible", "Vegetarian Kitchen"],
        ),
        "travel": ((12.0, 39.0), ["City Guide", "Hiking Atlas", "Road Trip Guide"]),
    },
    "beauty": {
        "skincare": (
            (8.0, 89.0),
            ["Vitamin C Serum", "Daily Moisturizer", "Mineral Sunscreen", "Cleanser"],
        ),
        "fragrance": (
            (25.0, 159.0),
            ["Eau de Parfum", "Scented Candle", "Travel Spray"],
        ),
    },
    "toys": {
        "puzzles": (
            (12.0, 49.0),
            ["1000-Piece Puzzle", "Brain Teaser Set", "3D Puzzle"],
        ),
        "building": ((19.0, 199.0), ["Brick Set", "Marble Run", "Magnetic Tiles"]),
        "plush": ((9.0, 39.0), ["Plush Fox", "Plush Dragon", "Weighted Plush"]),
    },
    "fitness": {
        "yoga": (
            (15.0, 129.0),
            ["Yoga Mat", "Cork Block", "Yoga Strap", "Meditation Cushion"],
        ),
        "weights": (
            (19.0, 349.0),
            ["Adjustable Dumbbells", "Kettlebell", "Resistance Bands"],
        ),
    },
}

BRANDS = [
    "Northwind",
    "Alder & Co.",
    "Summit",
    "Kestrel",
    "Lumen",
    "Harbor",
    "Fable",
    "Tidewell",
    "Brightside",
    "Oakmere",
]
RETAIL_INTERESTS = [
    ["outdoors", "fitness"],
    ["kitchen", "books"],
    ["electronics", "outdoors"],
    ["beauty", "fitness"],
    ["toys", "books"],
    ["electronics", "kitchen"],
]


def make_products(rng: random.Random) -> list[dict]:
    products = []
    for l1 in sorted(RETAIL):
        for l2, ((lo, hi), nouns) in sorted(RETAIL[l1].items()):
            for noun in nouns:
                for brand in rng.sample(BRANDS, k=2):
                    price = round(rng.uniform(lo, hi), 0) - 0.01
                    products.append(
                        {
                            "PRODUCT_NAME": f"{brand} {noun}",
                            "PRICE": f"{price:.2f}",
                            "CATEGORY_L1": l1,
                            "CATEGORY_L2": l2,
                            "PRODUCT_DESCRIPTION": (
                                f"The {noun.lower()} from {brand}, "
                                f"a {l1} favourite for {l2.replace('-', ' ')}."
                            ),
                        }
                    )
    rng.shuffle(products)
    for i, product in enumerate(products, start=1):
        product["ITEM_ID"] = f"p{i:04d}"
    return products


def make_shoppers(rng: random.Random, count: int) -> list[dict]:
    return [
        {
            "USER_ID": f"s{i:04d}",
            "AGE_GROUP": rng.choice(AGE_GROUPS),
            "INTERESTS": "|".join(RETAIL_INTERESTS[(i - 1) % len(RETAIL_INTERESTS)]),
        }
        for i in range(1, count + 1)
    ]


def make_retail_interactions(
    rng: random.Random, shoppers: list[dict], products: list[dict]
) -> list[dict]:
    rows = []
    for shopper in shoppers:
        interests = shopper["INTERESTS"].split("|")
        weights = [
            (
                1.5
                if p["CATEGORY_L1"] == interests[0]
                else 1.0
                if p["CATEGORY_L1"] in interests
                else 0.06
            )
            for p in products
        ]
        count = rng.randint(18, 40)
        start = rng.randint(EPOCH_2024, EPOCH_2026 - 120 * 86400)
        picks = rng.choices(products, weights=weights, k=count)
        stamps = sorted(rng.randint(start, start + 90 * 86400) for _ in picks)
        for product, ts in zip(picks, stamps, strict=True):
            rows.append(
                {
                    "USER_ID": shopper["USER_ID"],
                    "ITEM_ID": product["ITEM_ID"],
                    "TIMESTAMP": ts,
                    "EVENT_TYPE": "View",
                }
            )
            if rng.random() < 0.2:
                rows.append(
                    {
                        "USER_ID": shopper["USER_ID"],
                        "ITEM_ID": product["ITEM_ID"],
                        "TIMESTAMP": ts + rng.randint(30, 1800),
                        "EVENT_TYPE": "Purchase",
                    }
                )
    rows.sort(key=lambda r: (r["TIMESTAMP"], r["USER_ID"], r["ITEM_ID"]))
    return rows


# --------------------------------------------------------------------------------------------
# Schemas and files
# --------------------------------------------------------------------------------------------


def _schema(name: str, fields: list[dict]) -> dict:
    return {
        "type": "record",
        "name": name,
        "namespace": NAMESPACE,
        "fields": fields,
        "version": "1.0",
    }


def _string(
    name: str,
    *,
    categorical: bool = False,
    textual: bool = False,
    nullable: bool = False,
) -> dict:
    field: dict = {"name": name, "type": ["null", "string"] if nullable else "string"}
    if categorical:
        field["categorical"] = True
    if textual:
        field["textual"] = True
    return field


INTERACTIONS_FIELDS = [
    _string("USER_ID"),
    _string("ITEM_ID"),
    {"name": "TIMESTAMP", "type": "long"},
    _string("EVENT_TYPE"),
]

SCHEMAS = {
    "movies": {
        "interactions": _schema("Interactions", INTERACTIONS_FIELDS),
        "users": _schema(
            "Users",
            [
                _string("USER_ID"),
                _string("AGE_GROUP", categorical=True),
                _string("FAVORITE_GENRES", categorical=True),
                _string("PREFERENCES", nullable=True),
            ],
        ),
        "items": _schema(
            "Items",
            [
                _string("ITEM_ID"),
                _string("TITLE"),
                {"name": "YEAR", "type": "int"},
                _string("GENRES", categorical=True),
                _string("DESCRIPTION", textual=True, nullable=True),
                _string("KEY_VISUAL", nullable=True),
                _string("CONTENT_CLASSIFICATION", categorical=True, nullable=True),
                {"name": "DURATION", "type": "float"},
                {"name": "CREATION_TIMESTAMP", "type": "long"},
            ],
        ),
    },
    "retail": {
        "interactions": _schema("Interactions", INTERACTIONS_FIELDS),
        "users": _schema(
            "Users",
            [
                _string("USER_ID"),
                _string("AGE_GROUP", categorical=True),
                _string("INTERESTS", categorical=True),
            ],
        ),
        "items": _schema(
            "Items",
            [
                _string("ITEM_ID"),
                _string("PRODUCT_NAME"),
                {"name": "PRICE", "type": "float"},
                _string("CATEGORY_L1", categorical=True),
                _string("CATEGORY_L2", categorical=True, nullable=True),
                _string("PRODUCT_DESCRIPTION", textual=True, nullable=True),
            ],
        ),
    },
}


def _write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _write_dataset(
    name: str, users: list[dict], items: list[dict], interactions: list[dict]
) -> None:
    folder = HERE / name
    schemas = SCHEMAS[name]
    for kind, rows in (
        ("users", users),
        ("items", items),
        ("interactions", interactions),
    ):
        columns = [f["name"] for f in schemas[kind]["fields"]]
        _write_csv(folder / f"{kind}.csv", rows, columns)
        schema_path = folder / "schemas" / f"{kind}.json"
        schema_path.parent.mkdir(parents=True, exist_ok=True)
        schema_path.write_text(json.dumps(schemas[kind], indent=2) + "\n", encoding="utf-8")


def main() -> None:
    rng = random.Random(SEED)
    movies = make_movies(rng)
    users = make_users(rng, 150)
    _write_dataset("movies", users, movies, make_movie_interactions(rng, users, movies))

    rng = random.Random(SEED + 1)
    products = make_products(rng)
    shoppers = make_shoppers(rng, 60)
    _write_dataset("retail", shoppers, products, make_retail_interactions(rng, shoppers, products))
    print(f"wrote {HERE / 'movies'} and {HERE / 'retail'}")


if __name__ == "__main__":
    main()
