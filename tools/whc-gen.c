/* SPDX-License-Identifier: MIT */
/*
 * whc-gen: writes the deterministic demo and benchmark data of whc.
 *
 *   demo   seven years (2019-2025) of a council's Workforce Health Check as
 *          CSV exports, messy the way real exports are: renamed and tiny
 *          teams, misspelt and padded answers, blanks, non-numeric numbers,
 *          free text with commas, quotes and newlines, Excel's BOM, CRLF
 *          and ';' separator.  They match questionnaires/defs/whc-YYYY.json.
 *   bench  N responses spread over a range of years and T teams, with a
 *          definition per year, streamed in constant memory.
 *   defs   the demo definitions themselves (questionnaires/defs/ holds this
 *          output, so the answers the generator emits and the patterns
 *          that recognise them come from one table).
 *
 * Everything is integer arithmetic on our own PRNG (xoshiro256** seeded
 * with splitmix64), so a seed gives byte-identical files on every machine.
 * Only libc is used.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define DEFAULT_SEED	UINT64_C(20191001)
#define PPM		1000000u
#define MAX_DEMO_ROWS	1024

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* ------------------------------------------------------------------ */
/* PRNG */

struct rng {
	uint64_t s[4];
};

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Seeds one independent stream per (seed, stream) pair. */
static void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * UINT64_C(0xd1b54a32d192ed03));
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* A number in [0, n). */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability ppm / 1,000,000. */
static int
rng_ppm(struct rng *r, long ppm)
{
	return ppm > 0 && (long)rng_below(r, PPM) < ppm;
}

/* A number in [lo, hi]. */
static int
rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

/* A bell-shaped number around mean, within mean +- 2 * spread. */
static int
rng_bell(struct rng *r, int mean, int spread)
{
	int i, sum = 0;

	if (spread <= 0)
		return mean;
	for (i = 0; i < 4; i++)
		sum += (int)rng_below(r, (uint32_t)(2 * spread + 1));
	return mean + (sum - 4 * spread) / 2;
}

#define PICK(r, arr) ((arr)[rng_below((r), \
	(uint32_t)(sizeof(arr) / sizeof((arr)[0])))])

/* Index drawn from weights w[0..n-1] (any positive scale). */
static int
rng_weighted(struct rng *r, const int *w, int n)
{
	int i, total = 0, u;

	for (i = 0; i < n; i++)
		total += w[i];
	if (total <= 0)
		return 0;
	u = (int)rng_below(r, (uint32_t)total);
	for (i = 0; i < n; i++) {
		if (u < w[i])
			return i;
		u -= w[i];
	}
	return n - 1;
}

/* ------------------------------------------------------------------ */
/* Answer scales: levels, recognising patterns and raw variants emitted */

#define MAXPAT	6
#define MAXVAR	10

struct level {
	const char *key;
	const char *label;
	const char *match[MAXPAT];	/* PCRE2, caseless; NULL-ended */
	const char *variants[MAXVAR];	/* raw answers we emit; NULL-ended */
};

struct scale {
	const char *name;
	const struct level *levels;
	int nlevels;
	const char *const *unrec;	/* deliberately unrecognisable */
};

static const struct level freq_levels[] = {
	{ "never", "Never", { "^never$", "^not at all$", NULL },
	  { "never", "NEVER", "Never ", " Never", "Not at all", NULL } },
	{ "rarely", "Rarely", { "^rarely$", "^seldom$", "^hardly ever$",
	    NULL },
	  { "rarely", " rarely", "Rarely ", "RARELY", "Seldom",
	    "Hardly ever", NULL } },
	{ "occasionally", "Occasionally",
	  { "^occ?ass?ionall?y$", "^some ?times$", NULL },
	  { "occasionally", "Occasionally ", "occasionaly", "Occassionally",
	    "Ocasionally", "Sometimes", "sometimes ", "OCCASIONALLY",
	    NULL } },
	{ "often", "Often", { "^often$", "^very often$",
	    "^all (of )?the time$", NULL },
	  { "often", "Often ", "OFTEN", " Often", "Very often",
	    "All the time", NULL } },
};

static const char *const freq_unrec[] = {
	"n/a", "Prefer not to say", "Not sure", "-", NULL
};

static const struct level agree_levels[] = {
	{ "strongly_disagree", "Strongly disagree",
	  { "^str?ongly disagree$", "^disagree strongly$", NULL },
	  { "strongly disagree", "Strongly Disagree", "Strongly disagree ",
	    "Disagree strongly", NULL } },
	{ "disagree", "Disagree",
	  { "^(tend to |somewhat )disagree$", NULL },
	  { "disagree", "DISAGREE", "Disagree ", "Tend to disagree",
	    NULL } },
	{ "neither", "Neither agree nor disagree",
	  { "^neither( agree)?( n?or disagree)?$", "^neutral$", NULL },
	  { "Neither", "Neutral", "neither agree nor disagree",
	    "Neither agree or disagree", NULL } },
	{ "agree", "Agree",
	  { "^(tend to |somewhat )agree$", NULL },
	  { "agree", "Agree ", "AGREE", "Tend to agree", NULL } },
	{ "strongly_agree", "Strongly agree",
	  { "^str?ongly agree$", "^agree strongly$", NULL },
	  { "strongly agree", "Strongly Agree", "Stongly agree", NULL } },
};

static const char *const agree_unrec[] = {
	"n/a", "Not applicable", "Prefer not to say", NULL
};

static const struct level yesno_levels[] = {
	{ "no", "No", { "^n$", "^no,? not (at the moment|currently)$", NULL },
	  { "no", "NO", "No ", "N", "No, not at the moment", NULL } },
	{ "unsure", "Unsure",
	  { "^not sure$", "^maybe$", "^don['\xe2\x80\x99]?t know$",
	    "^undecided$", NULL },
	  { "Not sure", "not sure", "Maybe", "Don't know",
	    "Don\xe2\x80\x99t know", "Undecided", "unsure ", NULL } },
	{ "yes", "Yes", { "^y$", "^yes\\b", NULL },
	  { "yes", "YES", "Yes ", "Y", "Yes - actively looking",
	    "Yes, within the year", NULL } },
};

static const char *const yesno_unrec[] = {
	"Prefer not to say", "n/a", NULL
};

/* From ALWAYS_YEAR the stress scale gains "always" above "often". */
static const struct level freq5_levels[] = {
	{ "never", "Never", { "^never$", "^not at all$", NULL },
	  { "never", "NEVER", "Never ", " Never", "Not at all", NULL } },
	{ "rarely", "Rarely", { "^rarely$", "^seldom$", "^hardly ever$",
	    NULL },
	  { "rarely", " rarely", "Rarely ", "RARELY", "Seldom",
	    "Hardly ever", NULL } },
	{ "occasionally", "Occasionally",
	  { "^occ?ass?ionall?y$", "^some ?times$", NULL },
	  { "occasionally", "Occasionally ", "occasionaly", "Occassionally",
	    "Ocasionally", "Sometimes", "sometimes ", "OCCASIONALLY",
	    NULL } },
	{ "often", "Often", { "^often$", "^very often$", NULL },
	  { "often", "Often ", "OFTEN", " Often", "Very often", NULL } },
	{ "always", "Always", { "^always$", "^all (of )?the time$",
	    "^constantly$", NULL },
	  { "always", "Always ", "ALWAYS", "All the time", "Constantly",
	    NULL } },
};

static const struct level super_levels[] = {
	{ "never", "Never", { "^never$", "^not had (any )?supervision$",
	    NULL },
	  { "never", "NEVER", "Not had supervision", NULL } },
	{ "less_often", "Less often than monthly",
	  { "^less (often|frequently) than (monthly|once a month)$",
	    "^every (2|two|3|three) months$", NULL },
	  { "less often than monthly", "Every 2 months", "Every three months",
	    NULL } },
	{ "monthly", "Monthly",
	  { "^monthly$", "^(once a|every) month$", "^every (4|four) weeks$",
	    NULL },
	  { "monthly", "Every month", "Once a month", "Every 4 weeks",
	    "MONTHLY", NULL } },
	{ "fortnightly", "Fortnightly or more often",
	  { "^fortnightly( or more( often)?)?$", "^every (2|two) weeks$",
	    "^weekly$", NULL },
	  { "Fortnightly", "fortnightly", "Every two weeks", "Weekly",
	    NULL } },
};

static const char *const super_unrec[] = {
	"n/a", "Varies", "Not sure", NULL
};

static const struct level train_levels[] = {
	{ "yes_all", "Yes, all of it",
	  { "^yes,? all( of it)?$", "^all of it$", NULL },
	  { "yes, all of it", "Yes all of it", "All of it", NULL } },
	{ "yes_some", "Yes, some of it",
	  { "^yes,? some( of it)?$", "^some of it$", "^partly$", NULL },
	  { "yes, some of it", "Some of it", "Partly", NULL } },
	{ "no", "No", { "^n$", "^none( of it)?$", NULL },
	  { "no", "No ", "None of it", NULL } },
	{ "not_needed", "I have not needed any",
	  { "^(i have )?not needed( any)?( training)?$", NULL },
	  { "Not needed", "not needed", "I have not needed any training",
	    NULL } },
};

static const char *const train_unrec[] = {
	"Prefer not to say", "?", NULL
};

enum {
	SC_FREQ, SC_AGREE, SC_YESNO, SC_SUPER, SC_TRAIN, SC_FREQ5, NSCALES
};

#define FIRST_DEMO_YEAR	2019
#define LAST_DEMO_YEAR	2025
#define REWORD_YEAR	2023	/* stress and caseload reworded */
#define TRAINING_YEAR	2021	/* training_access first asked */
#define ALWAYS_YEAR	2024	/* the stress scale gains "always" */
#define MERGE_YEAR	2023	/* Fostering + Adoption = Permanence */

/* since: the first demo year a scale is declared (0: every year, and in
 * the bench definitions). */
static const struct {
	struct scale	 s;
	int		 since;
} scales_[NSCALES] = {
	{ { "frequency4", freq_levels, 4, freq_unrec }, 0 },
	{ { "agree5", agree_levels, 5, agree_unrec }, 0 },
	{ { "yesno3", yesno_levels, 3, yesno_unrec }, 0 },
	{ { "supervision4", super_levels, 4, super_unrec }, FIRST_DEMO_YEAR },
	{ { "training4", train_levels, 4, train_unrec }, TRAINING_YEAR },
	{ { "frequency5", freq5_levels, 5, freq_unrec }, ALWAYS_YEAR },
};

#define SCALE(i) (&scales_[i].s)

/* Rates (ppm) of the messy answers to scale items. */
#define BLANK_PPM	30000
#define UNREC_PPM	6000
#define VARIANT_PPM	120000

/*
 * The raw text for an answer at level lv: usually the label, sometimes a
 * misspelt or padded variant, now and then blank or unrecognisable.
 */
static const char *
scale_answer(struct rng *r, const struct scale *s, int lv)
{
	const struct level *l = &s->levels[lv];
	int n;

	if (rng_ppm(r, BLANK_PPM))
		return "";
	if (rng_ppm(r, UNREC_PPM)) {
		for (n = 0; s->unrec[n]; n++)
			;
		return s->unrec[rng_below(r, (uint32_t)n)];
	}
	if (rng_ppm(r, VARIANT_PPM)) {
		for (n = 0; l->variants[n]; n++)
			;
		if (n > 0)
			return l->variants[rng_below(r, (uint32_t)n)];
	}
	return l->label;
}

/* ------------------------------------------------------------------ */
/* Roles and teams */

enum role_id {
	R_SW, R_SP, R_AP, R_TM, R_FSW, R_EHP, R_PA, R_YJO, R_IRO, R_BSO,
	NROLES
};

struct role {
	const char *name;
	int grade_lo, grade_hi;
	int case_mean, case_spread;	/* 0 mean: does not hold cases */
	int part_time_ppm;
};

static const struct role roles[NROLES] = {
	[R_SW]  = { "Social Worker",		3, 4, 17, 7, 100000 },
	[R_SP]  = { "Senior Practitioner",	4, 5, 14, 6, 80000 },
	[R_AP]  = { "Advanced Practitioner",	5, 5, 8, 5, 80000 },
	[R_TM]  = { "Team Manager",		5, 6, 0, 0, 40000 },
	[R_FSW] = { "Family Support Worker",	2, 3, 9, 5, 220000 },
	[R_EHP] = { "Early Help Practitioner",	2, 3, 10, 5, 200000 },
	[R_PA]  = { "Personal Adviser",		2, 3, 22, 7, 100000 },
	[R_YJO] = { "Youth Justice Officer",	3, 4, 12, 5, 100000 },
	[R_IRO] = { "Independent Reviewing Officer", 5, 5, 52, 9, 150000 },
	[R_BSO] = { "Business Support Officer",	1, 1, 0, 0, 300000 },
};

enum mix { MIX_SW, MIX_CL, MIX_PERM, MIX_EH, MIX_YJ, MIX_IRO, NMIXES };

/* Role weights per kind of team. */
static const int role_mix[NMIXES][NROLES] = {
	/*          SW  SP  AP  TM FSW EHP  PA YJO IRO BSO */
	[MIX_SW] =   { 58, 18, 5,  8,  6,  0,  0,  0,  0,  5 },
	[MIX_CL] =   { 14, 10, 0, 10,  0,  0, 62,  0,  0,  4 },
	[MIX_PERM] = { 55, 18, 4, 10,  9,  0,  0,  0,  0,  4 },
	[MIX_EH] =   {  5,  5, 0, 10, 52, 24,  0,  0,  0,  4 },
	[MIX_YJ] =   { 20, 10, 0, 14,  0,  0,  0, 52,  0,  4 },
	[MIX_IRO] =  {  0,  0, 0,  0,  0,  0,  0,  0,100,  0 },
};

struct team {
	const char *name;		/* canonical name */
	const char *old_name;		/* raw name before rename_year */
	int rename_year;
	const char *match[MAXPAT];	/* PCRE2 patterns for raw values */
	const char *variants[MAXVAR];	/* raw spellings (current name) */
	const char *old_variants[MAXVAR]; /* raw spellings before rename */
	int share;			/* per mille of a year; 0: tiny */
	int stress_off;			/* ppm added to P(often) */
	int stress_trend;		/* ppm per year beyond the trend */
	int case_adj;			/* added to the role's mean caseload */
	int mix;
	const char *service;
	int from, until;		/* years the team exists; 0: open */
	const char *formed_from[3];	/* teams it replaced */
};

static const char *const directorates[] = {
	"Children's Social Care", "Early Help and Prevention",
};
#define NDIRECTORATES ((int)(sizeof(directorates) / sizeof(directorates[0])))

static const struct {
	const char *name;
	const char *directorate;
} services[] = {
	{ "Front Door and Assessment", "Children's Social Care" },
	{ "Safeguarding", "Children's Social Care" },
	{ "Children in Care and Care Leavers", "Children's Social Care" },
	{ "Permanence and Placements", "Children's Social Care" },
	{ "Quality Assurance", "Children's Social Care" },
	{ "Early Help and Family Support", "Early Help and Prevention" },
	{ "Youth Justice Service", "Early Help and Prevention" },
};
#define NSERVICES ((int)(sizeof(services) / sizeof(services[0])))

static const struct team demo_teams[] = {
	{ "Assessment North", NULL, 0,
	  { "^assessment north( team)?$", "^north assessment( team)?$",
	    "^assessment \\(north\\)$", NULL },
	  { "assessment north", "ASSESSMENT NORTH", "Assessment  North",
	    " Assessment North ", "North Assessment Team",
	    "Assessment (North)", NULL }, { NULL },
	  100, 60000, 4000, 3, MIX_SW,
	  "Front Door and Assessment", 0, 0, { NULL } },
	{ "Assessment South", NULL, 0,
	  { "^assessment south( team)?$", "^south assessment( team)?$",
	    "^assessment \\(south\\)$", NULL },
	  { "assessment south", "Assessment south", "South Assessment",
	    "Assessment South ", "Assessment (South)", NULL }, { NULL },
	  95, 30000, 2000, 2, MIX_SW,
	  "Front Door and Assessment", 0, 0, { NULL } },
	{ "MASH and Front Door", "Front Door", 2022,
	  { "^front door( team)?$", "^mash$",
	    "^mash ?(and|&|/) ?front door$", NULL },
	  { "MASH & Front Door", "MASH / Front Door", "Mash and Front Door",
	    "MASH", "Front Door", "mash and front door", NULL },
	  { "front door", "FRONT DOOR", "Front Door Team", "Front  Door",
	    NULL },
	  90, 80000, 6000, 1, MIX_SW,
	  "Front Door and Assessment", 0, 0, { NULL } },
	{ "Child Protection", NULL, 0,
	  { "^child protection( team)?$", "^cp( team)?$", NULL },
	  { "child protection", "Child Protection Team", "CP Team",
	    "Child  Protection", "CHILD PROTECTION", NULL }, { NULL },
	  115, 70000, 3000, 2, MIX_SW,
	  "Safeguarding", 0, 0, { NULL } },
	{ "Children in Care", NULL, 0,
	  { "^children in care( team)?$", "^cic( team)?$",
	    "^looked after children( team)?$", "^lac( team)?$", NULL },
	  { "Children In Care", "CIC", "Looked After Children",
	    "children in care ", "CiC Team", NULL }, { NULL },
	  110, 20000, 2000, 0, MIX_SW,
	  "Children in Care and Care Leavers", 0, 0, { NULL } },
	{ "Care Leavers", NULL, 0,
	  { "^care leavers( team)?$", "^leaving care( team)?$", NULL },
	  { "Leaving Care", "Care Leavers Team", "care leavers",
	    "Leaving Care Team", NULL }, { NULL },
	  70, 0, 8000, 0, MIX_CL,
	  "Children in Care and Care Leavers", 0, 0, { NULL } },
	{ "Fostering", NULL, 0,
	  { "^fostering( team| service)?$", NULL },
	  { "fostering", "Fostering Team", "FOSTERING", "Fostering Service",
	    NULL }, { NULL },
	  70, -80000, -2000, -3, MIX_PERM,
	  "Permanence and Placements", 0, MERGE_YEAR - 1, { NULL } },
	{ "Adoption", NULL, 0,
	  { "^adoption( team| service)?$", NULL },
	  { "adoption", "Adoption Team", " Adoption", NULL }, { NULL },
	  50, -100000, -3000, -6, MIX_PERM,
	  "Permanence and Placements", 0, MERGE_YEAR - 1, { NULL } },
	{ "Permanence", NULL, 0,
	  { "^permanence( team| service)?$", "^fostering (and|&) adoption$",
	    NULL },
	  { "permanence", "Permanence Team", "Fostering and Adoption",
	    "Fostering & Adoption", "PERMANENCE", NULL }, { NULL },
	  120, -90000, -2500, -4, MIX_PERM,
	  "Permanence and Placements", MERGE_YEAR, 0,
	  { "Fostering", "Adoption", NULL } },
	{ "Disabled Children", NULL, 0,
	  { "^disabled children['\xe2\x80\x99]?s?( team)?$",
	    "^children with disabilities( team)?$", NULL },
	  { "Disabled Children's Team", "Disabled Children\xe2\x80\x99s Team",
	    "Children with Disabilities", "disabled children", NULL },
	  { NULL },
	  60, -20000, 1000, -2, MIX_SW,
	  "Children in Care and Care Leavers", 0, 0, { NULL } },
	{ "Early Help", NULL, 0,
	  { "^early help( team| hub| service)?$", NULL },
	  { "early help", "Early Help Hub", "EARLY HELP", "Early help ",
	    NULL }, { NULL },
	  90, -50000, 0, 0, MIX_EH,
	  "Early Help and Family Support", 0, 0, { NULL } },
	{ "Youth Justice", NULL, 0,
	  { "^youth justice( team| service)?$", "^yot$",
	    "^youth offending( team| service)?$", NULL },
	  { "Youth Justice Service", "YOT", "Youth Offending Team",
	    "youth justice", NULL }, { NULL },
	  60, 10000, -1000, 0, MIX_YJ,
	  "Youth Justice Service", 0, 0, { NULL } },
	{ "Family Support", NULL, 0,
	  { "^family support( team| service)?$", NULL },
	  { "family support", "Family Support Team",
	    "Family Support Service", "Family  Support", NULL }, { NULL },
	  80, -60000, 0, 0, MIX_EH,
	  "Early Help and Family Support", 0, 0, { NULL } },
	{ "Independent Reviewing Officers", NULL, 0,
	  { "^iros?( team| service)?$",
	    "^independent reviewing( officers?| service| team)?$", NULL },
	  { "IRO team", "IROs", "Independent Reviewing Service", NULL },
	  { NULL },
	  0, 0, 0, 0, MIX_IRO,
	  "Quality Assurance", 0, 0, { NULL } },
};

#define NDEMO_TEAMS ((int)(sizeof(demo_teams) / sizeof(demo_teams[0])))

/* Responses in a demo year before per-team jitter. */
static int
demo_year_total(int year)
{
	static const int totals[] = { 215, 240, 190, 262, 286, 311, 344 };

	return totals[year - 2019];
}

/* The raw team value one respondent typed or picked. */
static const char *
team_raw(struct rng *r, const struct team *t, int year)
{
	const char *const *v = t->variants;
	const char *name = t->name;
	int n;

	if (t->old_name && year < t->rename_year) {
		v = t->old_variants;
		name = t->old_name;
	}
	/* Now and then someone gives a team name that no longer exists. */
	if (t->formed_from[0] && rng_ppm(r, 40000))
		return t->formed_from[rng_below(r, 2)];
	if (!rng_ppm(r, 100000))
		return name;
	for (n = 0; v[n]; n++)
		;
	return n ? v[rng_below(r, (uint32_t)n)] : name;
}

/* ------------------------------------------------------------------ */
/* Free-text comments */

/*
 * The RFC 4180 hard cases: every demo year carries all of them, in its
 * first commented rows (in a year-dependent order).
 */
static const char *const hard_comments[] = {
	"My manager is great, but \"open door\" only works when she is "
	    "actually in the building.",
	"Three things would help:\n1. Fewer changes of social worker for "
	    "the children\n2. Laptops that work\n3. Supervision that isn't "
	    "cancelled",
	"Court deadlines are the worst part; the paperwork never stops.",
	"\"Resilience\" training is not the answer to 25 cases.",
	"- more admin support\n- fewer duplicate forms\n- a proper lunch "
	    "break",
	"Supervision is monthly \xe2\x80\x93 when it happens. We\xe2\x80\x99re"
	    " told it\xe2\x80\x99s \xe2\x80\x9cprotected time\xe2\x80\x9d.",
	"Please actually read these comments this year.\n",
	"I <3 my team & my manager, it's the system that's broken.",
	"+1 to everything said last year about parking.",
	"She said \"it'll get better after Ofsted\", that was two years ago.",
	"Not enough time for direct work.\n\nToo much time on the system; "
	    "far too much.",
	"@HR please look at the lone working policy, \"urgently\"",
	"=Too many cases, not enough staff",
};

static const char *const demo_comments[] = {
	"Caseloads are too high and we are always covering vacancies.",
	"Agency turnover means children keep getting new social workers.",
	"The new recording system takes twice as long as the old one.",
	"I feel well supported by my team.",
	"Hybrid working has made a real difference to my wellbeing.",
	"Not enough parking at the civic centre.",
	"I regularly work in the evenings to keep on top of recording.",
	"The training offer is good but I never have time to attend.",
	"Supervision is regular and reflective, which helps a lot.",
	"Out of hours cover is stretched too thin.",
	"I love the work but I am exhausted.",
	"More management oversight of allocations please.",
	"The duty rota is unfair on part-time staff.",
	"Thank you for asking.",
	"Court work has increased a lot this year.",
	"The office is too cold in winter and too hot in summer.",
	"We need more foster carers for teenagers.",
	"Pay has not kept up with neighbouring authorities, so people leave.",
	"Good team, poor systems.",
	"Lone working in the evenings feels unsafe.",
	"I am considering agency work because the pay is better.",
	"Too many meetings, not enough direct work with families.",
	"Peer support from colleagues is what keeps me going.",
	"The cost of living is a real worry for staff on lower grades.",
	"Travel to placements out of area is not counted in caseloads.",
	"ASYE support was excellent.",
	"No comment",
	"N/A",
	"nothing to add",
	"Mileage rates need reviewing.",
	"Wellbeing sessions are at times when nobody can attend.",
	"We were promised a caseload cap; it never happened.",
	"Managers are visible and approachable.",
	"Interpreters are hard to book at short notice.",
	"Sickness in the team means the rest of us pick up the work.",
};

static const char *const bench_comments[] = {
	"Caseloads are too high.",
	"Good team, poor systems.",
	"Too many meetings, not enough direct work.",
	"I feel well supported.",
	"The \"new\" system is slow.",
	"Court deadlines; paperwork.",
	"Thank you for asking.",
	"Pay has not kept up, so people leave.",
};

#define COMMENT_PPM	220000
#define NHARD ((int)(sizeof(hard_comments) / sizeof(hard_comments[0])))

/* ------------------------------------------------------------------ */
/* Columns and file layouts */

enum col {
	COL_ID, COL_START, COL_MODIFIED, COL_TEAM, COL_ROLE, COL_GRADE,
	COL_STRESS, COL_CASELOAD, COL_HOURS, COL_WORKLOAD, COL_LEAVE,
	COL_COMMENTS, COL_SUPERVISION, COL_TRAINING, COL_WELLBEING, NCOLS
};

#define END (-1)
static const int order_a[] = {
	COL_ID, COL_MODIFIED, COL_TEAM, COL_ROLE, COL_GRADE, COL_STRESS,
	COL_CASELOAD, COL_HOURS, COL_WORKLOAD, COL_LEAVE, COL_COMMENTS, END
};
static const int order_b[] = {
	COL_ID, COL_MODIFIED, COL_TEAM, COL_ROLE, COL_GRADE, COL_CASELOAD,
	COL_HOURS, COL_WORKLOAD, COL_STRESS, COL_LEAVE, COL_COMMENTS, END
};

/* The demo asks more than the bench: supervision, training, wellbeing. */
static const int demo_a[] = {
	COL_ID, COL_MODIFIED, COL_TEAM, COL_ROLE, COL_GRADE, COL_STRESS,
	COL_CASELOAD, COL_HOURS, COL_SUPERVISION, COL_WORKLOAD, COL_WELLBEING,
	COL_LEAVE, COL_COMMENTS, END
};
static const int demo_2021[] = {
	COL_ID, COL_START, COL_MODIFIED, COL_TEAM, COL_ROLE, COL_GRADE,
	COL_STRESS, COL_CASELOAD, COL_HOURS, COL_SUPERVISION, COL_TRAINING,
	COL_WORKLOAD, COL_WELLBEING, COL_LEAVE, COL_COMMENTS, END
};
static const int demo_2022[] = {
	COL_ID, COL_MODIFIED, COL_TEAM, COL_ROLE, COL_GRADE, COL_STRESS,
	COL_CASELOAD, COL_HOURS, COL_SUPERVISION, COL_TRAINING, COL_WORKLOAD,
	COL_WELLBEING, COL_LEAVE, COL_COMMENTS, END
};
static const int demo_b[] = {
	COL_ID, COL_MODIFIED, COL_TEAM, COL_ROLE, COL_GRADE, COL_CASELOAD,
	COL_HOURS, COL_WORKLOAD, COL_STRESS, COL_SUPERVISION, COL_TRAINING,
	COL_WELLBEING, COL_LEAVE, COL_COMMENTS, END
};

struct layout {
	int year;
	char sep;
	const char *eol;
	int bom;
	int quote_all;
	const int *order;
};

static const struct layout demo_layouts[] = {
	{ 2019, ',', "\n", 0, 0, demo_a },
	{ 2020, ';', "\r\n", 0, 0, demo_a },	/* Excel, European locale */
	{ 2021, ',', "\r\n", 1, 0, demo_2021 },	/* Excel export */
	{ 2022, ',', "\n", 0, 0, demo_2022 },
	{ 2023, ',', "\n", 0, 0, demo_b },	/* questionnaire redesigned */
	{ 2024, ',', "\n", 0, 1, demo_b },	/* every field quoted */
	{ 2025, ',', "\n", 0, 0, demo_b },
};

static const char H_TEAM[] = "Which team do you work in?";
static const char H_ROLE[] = "What is your role?";
static const char H_GRADE[] = "Grade";
static const char H_STRESS_OLD[] =
	"How often do you feel stressed by your work?";
static const char H_STRESS_NEW[] =
	"Over the past three months, how often have you felt stressed "
	"because of your work?";
static const char H_CASE_OLD[] = "How many cases are you currently allocated?";
static const char H_CASE_NEW[] = "How many cases do you hold at the moment?";
static const char H_HOURS[] =
	"On average, how many hours a week do you actually work?";
static const char H_WORKLOAD[] = "My workload is manageable";
static const char H_LEAVE[] =
	"Are you thinking about leaving your job in the next 12 months?";
static const char H_COMMENTS[] =
	"Is there anything else you would like to tell us?";
static const char H_SUPERVISION[] =
	"How often do you have formal supervision?";
static const char H_TRAINING[] =
	"In the last 12 months, have you been able to get the training you "
	"need?";
static const char H_WELLBEING[] =
	"I know how to get support for my wellbeing at work";

static const char *
header(int col, int year, int demo)
{
	switch (col) {
	case COL_ID:		return "Response ID";
	case COL_START:		return "Start time";
	case COL_MODIFIED:	return "Last modified";
	case COL_TEAM:		return H_TEAM;
	case COL_ROLE:		return H_ROLE;
	/* Excel exports of 2021 kept a stray space after "Grade". */
	case COL_GRADE:		return demo && year == 2021 ? "Grade " : H_GRADE;
	case COL_STRESS:
		return year >= REWORD_YEAR ? H_STRESS_NEW : H_STRESS_OLD;
	case COL_CASELOAD:
		return year >= REWORD_YEAR ? H_CASE_NEW : H_CASE_OLD;
	case COL_HOURS:		return H_HOURS;
	case COL_WORKLOAD:	return H_WORKLOAD;
	case COL_LEAVE:		return H_LEAVE;
	case COL_COMMENTS:	return H_COMMENTS;
	case COL_SUPERVISION:	return H_SUPERVISION;
	case COL_TRAINING:	return H_TRAINING;
	case COL_WELLBEING:	return H_WELLBEING;
	default:		return "";
	}
}

/* ------------------------------------------------------------------ */
/* Output: a buffered file written to NAME.tmp and renamed when complete */

struct out {
	FILE *fp;
	char path[4096];
	char tmp[4100];
	char sep;
	const char *eol;
	int quote_all;
	int at_start;		/* no field yet in this record */
	size_t len;
	int err;
	char buf[1 << 16];
};

static void
out_flush(struct out *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, o->fp) != o->len)
		o->err = errno ? errno : EIO;
	o->len = 0;
}

static void
out_write(struct out *o, const char *s, size_t n)
{
	if (n > sizeof(o->buf) - o->len) {
		out_flush(o);
		if (n > sizeof(o->buf)) {
			if (fwrite(s, 1, n, o->fp) != n)
				o->err = errno ? errno : EIO;
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void
out_puts(struct out *o, const char *s)
{
	out_write(o, s, strlen(s));
}

static void
out_putc(struct out *o, char c)
{
	if (o->len == sizeof(o->buf))
		out_flush(o);
	o->buf[o->len++] = c;
}

static int
out_open(struct out *o, const char *dir, const char *name)
{
	int n;

	n = snprintf(o->path, sizeof(o->path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(o->path)) {
		fprintf(stderr, "whc-gen: %s/%s: path too long\n", dir, name);
		return -1;
	}
	n = snprintf(o->tmp, sizeof(o->tmp), "%s.tmp", o->path);
	if (n < 0 || (size_t)n >= sizeof(o->tmp)) {
		fprintf(stderr, "whc-gen: %s: path too long\n", o->path);
		return -1;
	}
	o->fp = fopen(o->tmp, "wb");
	if (!o->fp) {
		fprintf(stderr, "whc-gen: cannot create %s: %s\n", o->tmp,
		    strerror(errno));
		return -1;
	}
	o->sep = ',';
	o->eol = "\n";
	o->quote_all = 0;
	o->at_start = 1;
	o->len = 0;
	o->err = 0;
	return 0;
}

/* Finishes the file: flush, close, rename into place. */
static int
out_close(struct out *o)
{
	out_flush(o);
	if (fflush(o->fp) != 0 && !o->err)
		o->err = errno ? errno : EIO;
	if (ferror(o->fp) && !o->err)
		o->err = EIO;
	if (fclose(o->fp) != 0 && !o->err)
		o->err = errno ? errno : EIO;
	o->fp = NULL;
	if (o->err) {
		fprintf(stderr, "whc-gen: cannot write %s: %s\n", o->tmp,
		    strerror(o->err));
		remove(o->tmp);
		return -1;
	}
	if (rename(o->tmp, o->path) != 0) {
		fprintf(stderr, "whc-gen: cannot rename %s to %s: %s\n",
		    o->tmp, o->path, strerror(errno));
		remove(o->tmp);
		return -1;
	}
	return 0;
}

/* One CSV field, quoted when it must be (or always, with quote_all). */
static void
out_field(struct out *o, const char *s)
{
	const char *p;
	int quote = o->quote_all;

	if (!o->at_start)
		out_putc(o, o->sep);
	o->at_start = 0;
	if (!quote)
		for (p = s; *p; p++)
			if (*p == o->sep || *p == '"' || *p == '\n' ||
			    *p == '\r') {
				quote = 1;
				break;
			}
	if (!quote) {
		out_puts(o, s);
		return;
	}
	out_putc(o, '"');
	for (p = s; *p; p++) {
		if (*p == '"')
			out_putc(o, '"');
		out_putc(o, *p);
	}
	out_putc(o, '"');
}

static void
out_endrec(struct out *o)
{
	out_puts(o, o->eol);
	o->at_start = 1;
}

PRINTF_LIKE(2, 3)
static void
out_printf(struct out *o, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		o->err = EINVAL;
	else
		out_write(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n :
		    sizeof(tmp) - 1);
}

/* A JSON string literal (our strings are UTF-8 already). */
static void
out_json_str(struct out *o, const char *s)
{
	const unsigned char *p;
	char esc[8];

	out_putc(o, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			out_putc(o, '\\');
			out_putc(o, (char)*p);
		} else if (*p == '\n') {
			out_puts(o, "\\n");
		} else if (*p < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)*p);
			out_puts(o, esc);
		} else {
			out_putc(o, (char)*p);
		}
	}
	out_putc(o, '"');
}

/* ------------------------------------------------------------------ */
/* Dates */

static int64_t
days_from_civil(int y, unsigned m, unsigned d)
{
	int64_t era, yy = y - (m <= 2);
	unsigned yoe, doy, doe;

	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = (unsigned)(yy - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Writes v as exactly w decimal digits (no terminator). */
static void
put_digits(char *dst, unsigned v, int w)
{
	while (w-- > 0) {
		dst[w] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Formats seconds since the epoch as 2019-10-01T09:32:11Z. */
static void
fmt_time(char *dst, size_t n, int64_t t)
{
	int64_t z = (t >= 0 ? t : t - 86399) / 86400, era;
	int64_t sod = t - z * 86400;
	unsigned doe, yoe, doy, mp, d, m;
	int64_t y;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (n < 21 || y < 0 || y > 9999) {
		if (n)
			dst[0] = '\0';
		return;
	}
	put_digits(dst, (unsigned)y, 4);
	dst[4] = '-';
	put_digits(dst + 5, m, 2);
	dst[7] = '-';
	put_digits(dst + 8, d, 2);
	dst[10] = 'T';
	put_digits(dst + 11, (unsigned)(sod / 3600), 2);
	dst[13] = ':';
	put_digits(dst + 14, (unsigned)(sod / 60 % 60), 2);
	dst[16] = ':';
	put_digits(dst + 17, (unsigned)(sod % 60), 2);
	dst[19] = 'Z';
	dst[20] = '\0';
}

/*
 * The survey opens in early October and runs for four weeks; people answer
 * between 08:00 and 22:00.  Response i of n gets a time in the i-th n-th of
 * those waking hours, so times rise with the response id.
 */
#define DAYS	28
#define DAYTIME	(14 * 3600)
#define WINDOW	((int64_t)DAYS * DAYTIME)

static int64_t
survey_time(struct rng *r, int year, uint64_t i, uint64_t n)
{
	int64_t day0 = days_from_civil(year, 10, 1 + (unsigned)(year % 5));
	int64_t step = WINDOW / (int64_t)n, t;

	t = (int64_t)(i * (uint64_t)WINDOW / n) +
	    (step > 1 ? (int64_t)rng_below(r, (uint32_t)step) : 0);
	return (day0 + t / DAYTIME) * 86400 + 8 * 3600 + t % DAYTIME;
}

/* ------------------------------------------------------------------ */
/* One response */

struct tparams {
	int stress_off, stress_trend, case_adj, mix;
};

struct row {
	char id[32];
	char start[32];
	char modified[32];
	const char *team;
	const char *role;
	char grade[8];
	const char *stress;
	char caseload[48];
	char hours[48];
	const char *workload;
	const char *leave;
	const char *comments;
	const char *supervision;	/* the demo's: see gen_extra() */
	const char *training;
	const char *wellbeing;
};

/* P(often) in ppm: about 20% in 2019 rising to 35% in 2025. */
static long
p_often(const struct tparams *tp, int year)
{
	long p = 200000L + (long)(year - 2019) * 25000L + tp->stress_off +
	    (long)tp->stress_trend * (year - 2022);

	return p < 30000 ? 30000 : p > 800000 ? 800000 : p;
}

/* Cumulative level probabilities (ppm) of the stress item. */
static void
stress_cdf(const struct tparams *tp, int year, long cdf[4])
{
	long p = p_often(tp, year), rest = (long)PPM - p;

	cdf[0] = rest * 12 / 100;		/* never */
	cdf[1] = rest * 42 / 100;		/* rarely */
	cdf[2] = rest;				/* occasionally */
	cdf[3] = (long)PPM;			/* often */
}

static int
stress_level(const long cdf[4], long u)
{
	int lv = 0;

	while (lv < 3 && u >= cdf[lv])
		lv++;
	return lv;
}

static int
draw_stress(struct rng *r, const struct tparams *tp, int year)
{
	long cdf[4];

	stress_cdf(tp, year, cdf);
	return stress_level(cdf, (long)rng_below(r, PPM));
}

static const int workload_by_stress[4][5] = {
	{ 2, 8, 20, 45, 25 },
	{ 4, 15, 25, 42, 14 },
	{ 10, 30, 27, 27, 6 },
	{ 30, 40, 15, 12, 3 },
};

static void
gen_caseload(struct rng *r, const struct role *ro, const struct tparams *tp,
    int year, char *dst, size_t n)
{
	int v;

	if (rng_ppm(r, 40000)) {
		dst[0] = '\0';
		return;
	}
	if (ro->case_mean == 0) {
		/* Managers and support staff: blank, 0 or a handful. */
		unsigned u = rng_below(r, 100);
		if (u < 50)
			dst[0] = '\0';
		else if (u < 85 || ro == &roles[R_BSO])
			snprintf(dst, n, "0");
		else
			snprintf(dst, n, "%d", rng_range(r, 1, 4));
		return;
	}
	v = rng_bell(r, ro->case_mean + tp->case_adj + (year - 2019) / 2,
	    ro->case_spread);
	if (v < 0)
		v = 0;
	if (rng_ppm(r, 12000)) {
		switch (rng_below(r, 7)) {
		case 0: snprintf(dst, n, "about %d", v); break;
		case 1: snprintf(dst, n, "%d-%d", v, v + 3); break;
		case 2: snprintf(dst, n, "approx. %d", v); break;
		case 3: snprintf(dst, n, "%d plus %d unallocated", v,
			    rng_range(r, 1, 5)); break;
		case 4: snprintf(dst, n, "too many"); break;
		case 5: snprintf(dst, n, "N/A"); break;
		default: snprintf(dst, n, "varies week to week"); break;
		}
		return;
	}
	if (rng_ppm(r, 4000)) {
		switch (rng_below(r, 3)) {
		case 0: v = rng_range(r, 61, 99); break;
		case 1: v = v * 10 + rng_range(r, 0, 9) + 100; break;
		default: v = -1; break;
		}
	}
	snprintf(dst, n, "%d", v);
}

/* Hours are drawn in half hours; printed as 45 or 37.5. */
static void
gen_hours(struct rng *r, const struct role *ro, int stress, int year,
    char *dst, size_t n)
{
	static const int part_time[] = { 45, 50, 60, 60, 44 };
	int contract, mean_extra, hh;

	if (rng_ppm(r, 30000)) {
		dst[0] = '\0';
		return;
	}
	if (rng_ppm(r, ro->part_time_ppm)) {
		contract = PICK(r, part_time);
		mean_extra = 2 + stress * 2;
	} else {
		contract = 74;
		mean_extra = 4 + stress * 5 + (year - 2019);
		if (ro == &roles[R_TM])
			mean_extra += 8;
	}
	hh = contract + rng_bell(r, mean_extra, 6);
	if (hh < 20)
		hh = 20;
	if (rng_ppm(r, 10000)) {
		switch (rng_below(r, 6)) {
		case 0: snprintf(dst, n, "%d+", hh / 2); break;
		case 1: snprintf(dst, n, "%d hrs", hh / 2); break;
		case 2: snprintf(dst, n, "about %d", hh / 2); break;
		case 3: snprintf(dst, n, "%d-%d", hh / 2, hh / 2 + 5); break;
		case 4: snprintf(dst, n, "full time"); break;
		default: snprintf(dst, n, "too many to count"); break;
		}
		return;
	}
	if (rng_ppm(r, 4000)) {
		static const char *const wild[] = { "168", "375", "100", "95" };
		snprintf(dst, n, "%s", PICK(r, wild));
		return;
	}
	if (hh % 2)
		snprintf(dst, n, "%d.5", hh / 2);
	else
		snprintf(dst, n, "%d", hh / 2);
}

/* One response; stress is its stress level, or -1 to draw one. */
static void
gen_row(struct rng *r, const struct tparams *tp, int year, int stress,
    struct row *w)
{
	const struct role *ro;
	int s, lv, role_i;
	long p;

	role_i = rng_weighted(r, role_mix[tp->mix], NROLES);
	ro = &roles[role_i];
	w->role = rng_ppm(r, 10000) ? "" : ro->name;
	if (rng_ppm(r, 10000))
		w->grade[0] = '\0';
	else
		snprintf(w->grade, sizeof(w->grade), "%d",
		    rng_range(r, ro->grade_lo, ro->grade_hi));

	s = stress >= 0 ? stress : draw_stress(r, tp, year);
	w->stress = scale_answer(r, SCALE(SC_FREQ), s);
	gen_caseload(r, ro, tp, year, w->caseload, sizeof(w->caseload));
	gen_hours(r, ro, s, year, w->hours, sizeof(w->hours));

	lv = rng_weighted(r, workload_by_stress[s], 5);
	w->workload = scale_answer(r, SCALE(SC_AGREE), lv);

	p = 80000L + 90000L * s + (year > 2021 ? 10000L * (year - 2021) : 0);
	if (rng_ppm(r, p))
		lv = 2;
	else if (rng_ppm(r, 200000L + 30000L * s))
		lv = 1;
	else
		lv = 0;
	w->leave = scale_answer(r, SCALE(SC_YESNO), lv);
	w->comments = "";
	w->supervision = w->training = w->wellbeing = "";
}

/*
 * The demo's later additions, drawn from a stream of their own so that
 * the answers the bench shares with it stay as they were: supervision,
 * training and wellbeing support, and from ALWAYS_YEAR the stress scale's
 * new top level (some who would have said "often" say "always").
 */
static void
gen_extra(struct rng *r, int year, int stress, struct row *w)
{
	static const int train_w[4] = { 35, 40, 15, 10 };
	static const int well_w[5] = { 5, 15, 25, 40, 15 };
	int sup_w[4] = { 3, 22, 50, 25 };
	int i;

	sup_w[1] += 5 * stress;
	sup_w[3] -= 4 * stress;
	w->supervision = scale_answer(r, SCALE(SC_SUPER),
	    rng_weighted(r, sup_w, 4));
	w->wellbeing = scale_answer(r, SCALE(SC_AGREE),
	    rng_weighted(r, well_w, 5));
	if (year >= TRAINING_YEAR)
		w->training = scale_answer(r, SCALE(SC_TRAIN),
		    rng_weighted(r, train_w, 4));
	if (year < ALWAYS_YEAR || stress != 3 || w->stress[0] == '\0')
		return;
	for (i = 0; freq_unrec[i]; i++)
		if (strcmp(w->stress, freq_unrec[i]) == 0)
			return;		/* unrecognisable stays so */
	if (rng_ppm(r, 450000)) {
		/* Only the level changes: never to a blank or an odd one. */
		const struct level *l = &SCALE(SC_FREQ5)->levels[4];

		for (i = 0; l->variants[i]; i++)
			;
		w->stress = rng_ppm(r, VARIANT_PPM) ?
		    l->variants[rng_below(r, (uint32_t)i)] : l->label;
	} else if (strcmp(w->stress, "All the time") == 0)
		w->stress = "Often";	/* "all the time" is now "always" */
}

static void
write_row(struct out *o, const int *order, const struct row *w)
{
	int i;

	for (i = 0; order[i] != END; i++) {
		switch (order[i]) {
		case COL_ID:		out_field(o, w->id); break;
		case COL_START:		out_field(o, w->start); break;
		case COL_MODIFIED:	out_field(o, w->modified); break;
		case COL_TEAM:		out_field(o, w->team); break;
		case COL_ROLE:		out_field(o, w->role); break;
		case COL_GRADE:		out_field(o, w->grade); break;
		case COL_STRESS:	out_field(o, w->stress); break;
		case COL_CASELOAD:	out_field(o, w->caseload); break;
		case COL_HOURS:		out_field(o, w->hours); break;
		case COL_WORKLOAD:	out_field(o, w->workload); break;
		case COL_LEAVE:		out_field(o, w->leave); break;
		case COL_COMMENTS:	out_field(o, w->comments); break;
		case COL_SUPERVISION:	out_field(o, w->supervision); break;
		case COL_TRAINING:	out_field(o, w->training); break;
		case COL_WELLBEING:	out_field(o, w->wellbeing); break;
		default:		break;
		}
	}
	out_endrec(o);
}

static void
write_header(struct out *o, const int *order, int year, int demo)
{
	int i;

	for (i = 0; order[i] != END; i++)
		out_field(o, header(order[i], year, demo));
	out_endrec(o);
}

/* ------------------------------------------------------------------ */
/* Definitions (JSON) */

static void
json_patterns(struct out *o, const char *const *pat)
{
	int i;

	out_putc(o, '[');
	for (i = 0; pat[i]; i++) {
		if (i)
			out_puts(o, ", ");
		out_json_str(o, pat[i]);
	}
	out_putc(o, ']');
}

static void
json_kv(struct out *o, const char *indent, const char *key, const char *val,
    int comma)
{
	out_puts(o, indent);
	out_json_str(o, key);
	out_puts(o, ": ");
	out_json_str(o, val);
	out_puts(o, comma ? ",\n" : "\n");
}

static void
json_column(struct out *o, int col, int year)
{
	out_puts(o, "\"column\": ");
	out_json_str(o, header(col, year, 0));
}

/*
 * Where each question is in the providers' surveys, as the collector's
 * drivers and the emulator (tests/emulator) see them: numeric question ids
 * for SurveyMonkey ("1000" NN) and SmartSurvey ("3000" NN), QIDn for
 * Qualtrics, question codes for LimeSurvey and field refs for Typeform.
 * Each year's survey is a copy of the year before that keeps its question
 * ids, so they are stated once and inherited.
 */
static void
json_source(struct out *o, int col)
{
	static const char *const code[NCOLS] = {
		[COL_TEAM] = "team", [COL_ROLE] = "role",
		[COL_GRADE] = "grade", [COL_STRESS] = "stress",
		[COL_CASELOAD] = "caseload", [COL_HOURS] = "hours",
		[COL_WORKLOAD] = "workload", [COL_LEAVE] = "leave",
		[COL_COMMENTS] = "comments",
		[COL_SUPERVISION] = "supervision",
		[COL_TRAINING] = "training", [COL_WELLBEING] = "wellbeing",
	};
	char up[16];
	size_t i;

	for (i = 0; code[col][i] && i + 1 < sizeof(up); i++)
		up[i] = (char)(code[col][i] - 'a' + 'A');
	up[i] = '\0';
	out_printf(o, ",\n      \"source\": { \"surveymonkey\": \"1000%02d\", "
	    "\"smartsurvey\": \"3000%02d\",\n        \"qualtrics\": "
	    "\"QID%d\", \"limesurvey\": \"%s\",\n        "
	    "\"typeform\": \"%s\" }",
	    col, col, col, up, code[col]);
}

static void
write_scale(struct out *o, const struct scale *s, int last)
{
	int j;

	out_puts(o, "    ");
	out_json_str(o, s->name);
	out_puts(o, ": {\n      \"levels\": [\n");
	for (j = 0; j < s->nlevels; j++) {
		const struct level *l = &s->levels[j];
		out_puts(o, "        { \"key\": ");
		out_json_str(o, l->key);
		out_puts(o, ", \"label\": ");
		out_json_str(o, l->label);
		out_puts(o, ",\n          \"match\": ");
		json_patterns(o, l->match);
		out_puts(o, j + 1 < s->nlevels ? " },\n" : " }\n");
	}
	out_puts(o, "      ]\n    }");
	out_puts(o, last ? "\n" : ",\n");
}

/* The scales first declared in year (all of the bench's when bench). */
static void
write_scales(struct out *o, int year, int bench)
{
	int i, n = 0, k = 0;

	for (i = 0; i < NSCALES; i++)
		n += bench ? scales_[i].since == 0 : year == FIRST_DEMO_YEAR ?
		    scales_[i].since <= year : scales_[i].since == year;
	if (n == 0)
		return;
	out_puts(o, "  \"scales\": {\n");
	for (i = 0; i < NSCALES; i++)
		if (bench ? scales_[i].since == 0 : year == FIRST_DEMO_YEAR ?
		    scales_[i].since <= year : scales_[i].since == year)
			write_scale(o, SCALE(i), ++k == n);
	out_puts(o, "  },\n");
}

/* The items of the survey, in the order of the definitions. */
enum item_id {
	IT_STRESS, IT_CASELOAD, IT_HOURS, IT_SUPERVISION, IT_TRAINING,
	IT_WORKLOAD, IT_WELLBEING, IT_LEAVE, IT_COMMENTS, NITEMS
};

static const struct item_spec {
	const char	*key;
	const char	*type;
	int		 scale;		/* -1: none */
	int		 col;
	const char	*number;	/* unit, min and max, as JSON */
	int		 reverse;
	int		 since;		/* 0: also in the bench */
} items[NITEMS] = {
	[IT_STRESS] = { "stress", "scale", SC_FREQ, COL_STRESS, NULL, 0, 0 },
	[IT_CASELOAD] = { "caseload", "number", -1, COL_CASELOAD,
	    "\"unit\": \"cases\", \"min\": 0, \"max\": 60", 0, 0 },
	[IT_HOURS] = { "hours", "number", -1, COL_HOURS,
	    "\"unit\": \"hours\", \"min\": 0, \"max\": 90", 0, 0 },
	[IT_SUPERVISION] = { "supervision", "scale", SC_SUPER,
	    COL_SUPERVISION, NULL, 0, FIRST_DEMO_YEAR },
	[IT_TRAINING] = { "training_access", "choice", SC_TRAIN, COL_TRAINING,
	    NULL, 0, TRAINING_YEAR },
	[IT_WORKLOAD] = { "workload_manageable", "scale", SC_AGREE,
	    COL_WORKLOAD, NULL, 1, 0 },
	[IT_WELLBEING] = { "wellbeing_support", "scale", SC_AGREE,
	    COL_WELLBEING, NULL, 1, FIRST_DEMO_YEAR },
	[IT_LEAVE] = { "intend_to_leave", "scale", SC_YESNO, COL_LEAVE, NULL,
	    0, 0 },
	[IT_COMMENTS] = { "comments", "text", -1, COL_COMMENTS, NULL, 0, 0 },
};

/* The wording of an item: its column header, but for one. */
static const char *
item_text(const struct item_spec *it, int year)
{
	if (it->col == COL_WORKLOAD)
		return "How far do you agree or disagree: my workload is "
		    "manageable.";
	return header(it->col, year, 0);
}

static void
write_item(struct out *o, const struct item_spec *it, int year, int bench,
    int last)
{
	out_puts(o, "    { \"key\": ");
	out_json_str(o, it->key);
	out_puts(o, ", \"type\": ");
	out_json_str(o, it->type);
	if (it->scale >= 0) {
		out_puts(o, ", \"scale\": ");
		out_json_str(o, SCALE(it->scale)->name);
	}
	if (it->number)
		out_printf(o, ", %s", it->number);
	if (it->reverse && !bench)
		out_puts(o, ", \"reverse\": true");
	out_puts(o, ",\n      \"text\": ");
	out_json_str(o, item_text(it, year));
	out_puts(o, ",\n      ");
	if (it->col == COL_CASELOAD)
		out_puts(o, "\"column_match\": \"^how many cases\"");
	else
		json_column(o, it->col, year);
	json_source(o, it->col);
	out_puts(o, last ? " }\n" : " },\n");
}

static void
write_head(struct out *o, const char *survey, int year, int demo)
{
	char buf[160];

	out_puts(o, "{\n");
	snprintf(buf, sizeof(buf), "%s-%d", survey, year);
	json_kv(o, "  ", "id", buf, 1);
	if (demo && year > FIRST_DEMO_YEAR) {
		snprintf(buf, sizeof(buf), "%s-%d", survey, year - 1);
		json_kv(o, "  ", "inherits", buf, 1);
	}
	json_kv(o, "  ", "survey", survey, 1);
	out_printf(o, "  \"year\": %d,\n", year);
	if (demo)
		snprintf(buf, sizeof(buf), "Workforce Health Check %d: "
		    "children's social care staff survey", year);
	else
		snprintf(buf, sizeof(buf), "Benchmark survey %d (generated)",
		    year);
	out_puts(o, "  \"title\": ");
	out_json_str(o, buf);		/* the caller ends the line */
}

/*
 * A complete definition: every bench year, and the demo's first year
 * (with its team map).
 */
static void
write_definition(struct out *o, const char *survey, int year)
{
	int demo = strcmp(survey, "whc") == 0;
	int i, n = 0, k = 0;

	write_head(o, survey, year, demo);
	out_puts(o, ",\n");
	json_kv(o, "  ", "id_column", header(COL_ID, year, 0), 1);
	json_kv(o, "  ", "modified_column", header(COL_MODIFIED, year, 0), 1);
	write_scales(o, year, !demo);
	out_puts(o, "  \"dimensions\": [\n");
	out_puts(o, "    { \"key\": \"team\", \"label\": \"Team\", ");
	json_column(o, COL_TEAM, year);
	json_source(o, COL_TEAM);
	out_puts(o, " },\n    { \"key\": \"role\", \"label\": \"Role\", ");
	json_column(o, COL_ROLE, year);
	json_source(o, COL_ROLE);
	out_puts(o, " },\n    { \"key\": \"grade\", \"label\": \"Grade\", ");
	json_column(o, COL_GRADE, year);
	json_source(o, COL_GRADE);
	out_puts(o, " }\n  ],\n");
	if (demo)
		out_puts(o, "  \"team_map\": \"teams-whc\",\n");
	out_puts(o, "  \"items\": [\n");
	for (i = 0; i < NITEMS; i++)
		n += demo ? items[i].since <= year : items[i].since == 0;
	for (i = 0; i < NITEMS; i++)
		if (demo ? items[i].since <= year : items[i].since == 0)
			write_item(o, &items[i], year, !demo, ++k == n);
	out_puts(o, "  ]\n}\n");
}

/*
 * A demo year after the first: it inherits the year before and states
 * only what changed (see questionnaires/FORMAT.md for the merge rules).
 */
static void
write_delta(struct out *o, int year)
{
	int i, any = 0;

	write_head(o, "whc", year, 1);
	if (year == TRAINING_YEAR || year == REWORD_YEAR ||
	    year == ALWAYS_YEAR)
		out_puts(o, ",\n");
	else
		out_puts(o, "\n}\n");
	write_scales(o, year, 0);
	for (i = 0; i < NITEMS; i++)
		if (items[i].since == year)
			any = 1;
	if (any) {
		out_puts(o, "  \"items\": [\n");
		for (i = 0; i < NITEMS; i++)
			if (items[i].since == year)
				write_item(o, &items[i], year, 0, 1);
		out_puts(o, "  ]\n}\n");
	} else if (year == REWORD_YEAR) {
		/* The stress and caseload questions are reworded. */
		out_puts(o, "  \"items\": [\n    { \"key\": \"stress\",\n"
		    "      \"text\": ");
		out_json_str(o, header(COL_STRESS, year, 0));
		out_puts(o, ",\n      ");
		json_column(o, COL_STRESS, year);
		out_puts(o, " },\n    { \"key\": \"caseload\",\n      "
		    "\"text\": ");
		out_json_str(o, header(COL_CASELOAD, year, 0));
		out_puts(o, " }\n  ]\n}\n");
	} else if (year == ALWAYS_YEAR) {
		/* The stress scale gains "always", compared as "often". */
		out_puts(o, "  \"items\": [\n    { \"key\": \"stress\", "
		    "\"scale\": \"frequency5\",\n      \"compare_as\": "
		    "{ \"scale\": \"frequency4\", \"map\": { \"always\": "
		    "\"often\" } } }\n  ]\n}\n");
	}
}

/* The team map: teams-whc.json. */
static void
write_team_map(struct out *o)
{
	int i, j;

	out_puts(o, "{\n  \"id\": \"teams-whc\",\n  \"title\": \"Teams of "
	    "the demo council's children's services, 2019-2025\",\n"
	    "  \"directorates\": [\n");
	for (i = 0; i < NDIRECTORATES; i++) {
		out_puts(o, "    { \"name\": ");
		out_json_str(o, directorates[i]);
		out_puts(o, i + 1 < NDIRECTORATES ? " },\n" : " }\n");
	}
	out_puts(o, "  ],\n  \"services\": [\n");
	for (i = 0; i < NSERVICES; i++) {
		out_puts(o, "    { \"name\": ");
		out_json_str(o, services[i].name);
		out_puts(o, ", \"directorate\": ");
		out_json_str(o, services[i].directorate);
		out_puts(o, i + 1 < NSERVICES ? " },\n" : " }\n");
	}
	out_puts(o, "  ],\n  \"teams\": [\n");
	for (i = 0; i < NDEMO_TEAMS; i++) {
		const struct team *t = &demo_teams[i];

		out_puts(o, "    { \"name\": ");
		out_json_str(o, t->name);
		out_puts(o, ", \"service\": ");
		out_json_str(o, t->service);
		if (t->from)
			out_printf(o, ", \"from\": %d", t->from);
		if (t->until)
			out_printf(o, ", \"until\": %d", t->until);
		if (t->old_name) {
			out_puts(o, ",\n      \"formerly\": [ { \"name\": ");
			out_json_str(o, t->old_name);
			out_printf(o, ", \"until\": %d } ]",
			    t->rename_year - 1);
		}
		if (t->formed_from[0]) {
			out_puts(o, ",\n      \"formed_from\": [");
			for (j = 0; t->formed_from[j]; j++) {
				out_puts(o, j ? ", " : " ");
				out_json_str(o, t->formed_from[j]);
			}
			out_puts(o, " ]");
		}
		out_puts(o, ",\n      \"match\": ");
		json_patterns(o, t->match);
		out_puts(o, i + 1 < NDEMO_TEAMS ? " },\n" : " }\n");
	}
	out_puts(o, "  ]\n}\n");
}

/* ------------------------------------------------------------------ */
/* Modes */

static int
mkdirs(const char *dir)
{
	char p[4096];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof(p)) {
		fprintf(stderr, "whc-gen: bad output directory\n");
		return -1;
	}
	memcpy(p, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			fprintf(stderr, "whc-gen: cannot create %s: %s\n", p,
			    strerror(errno));
			return -1;
		}
		p[i] = dir[i];
	}
	return 0;
}

static int
demo_year(const char *dir, uint64_t seed, const struct layout *lay)
{
	static unsigned char teams_of[MAX_DEMO_ROWS];
	static signed char stress_of[MAX_DEMO_ROWS];
	int year = lay->year, total = demo_year_total(year);
	int hard[NHARD];
	int i, j, n = 0, ncomments = 0;
	struct rng r, r2;
	struct out *o;
	char name[64];
	int rc;

	rng_seed(&r, seed, (uint64_t)year);
	rng_seed(&r2, seed, UINT64_C(0x3000) + (uint64_t)year);
	/*
	 * Each team's stress levels are drawn by systematic sampling (evenly
	 * spaced points from a random start), so a team's shares are within
	 * one response of its expected ones and the year-on-year trend is
	 * not drowned in sampling noise.
	 */
	for (i = 0; i < NDEMO_TEAMS; i++) {
		const struct team *t = &demo_teams[i];
		struct tparams tp = { t->stress_off, t->stress_trend, 0, 0 };
		long cdf[4], start;
		int k;

		if ((t->from && year < t->from) || (t->until && year > t->until))
			continue;
		k = t->share ? (total * t->share *
		    rng_range(&r, 850, 1150) + 500000) / 1000000 :
		    rng_range(&r, 2, 4);

		if (k < 1)
			k = 1;
		stress_cdf(&tp, year, cdf);
		start = (long)rng_below(&r, PPM);
		for (j = 0; j < k && n < MAX_DEMO_ROWS; j++, n++) {
			teams_of[n] = (unsigned char)i;
			stress_of[n] = (signed char)stress_level(cdf,
			    (long)(((int64_t)start + (int64_t)j * PPM) / k));
		}
	}
	for (i = n - 1; i > 0; i--) {	/* Fisher-Yates */
		unsigned char t;
		signed char sc;
		j = (int)rng_below(&r, (uint32_t)i + 1);
		t = teams_of[i];
		teams_of[i] = teams_of[j];
		teams_of[j] = t;
		sc = stress_of[i];
		stress_of[i] = stress_of[j];
		stress_of[j] = sc;
	}
	for (i = 0; i < NHARD; i++)
		hard[i] = i;
	for (i = NHARD - 1; i > 0; i--) {
		int t;
		j = (int)rng_below(&r, (uint32_t)i + 1);
		t = hard[i];
		hard[i] = hard[j];
		hard[j] = t;
	}

	o = malloc(sizeof(*o));
	if (!o) {
		fprintf(stderr, "whc-gen: out of memory\n");
		return -1;
	}
	snprintf(name, sizeof(name), "whc-%d.csv", year);
	if (out_open(o, dir, name) != 0) {
		free(o);
		return -1;
	}
	o->sep = lay->sep;
	o->eol = lay->eol;
	o->quote_all = lay->quote_all;
	if (lay->bom)
		out_puts(o, "\xef\xbb\xbf");
	write_header(o, lay->order, year, 1);
	for (i = 0; i < n; i++) {
		const struct team *t = &demo_teams[teams_of[i]];
		struct tparams tp;
		struct row w;
		int64_t when;

		tp.stress_off = t->stress_off;
		tp.stress_trend = t->stress_trend;
		tp.case_adj = t->case_adj;
		tp.mix = t->mix;
		snprintf(w.id, sizeof(w.id), "R%d-%05d", year, i + 1);
		when = survey_time(&r, year, (uint64_t)i, (uint64_t)n);
		fmt_time(w.modified, sizeof(w.modified), when);
		fmt_time(w.start, sizeof(w.start),
		    when - rng_range(&r, 180, 1500));
		w.team = team_raw(&r, t, year);
		gen_row(&r, &tp, year, stress_of[i], &w);
		gen_extra(&r2, year, stress_of[i], &w);
		if (rng_ppm(&r, COMMENT_PPM)) {
			if (ncomments < NHARD)
				w.comments = hard_comments[hard[ncomments]];
			else
				w.comments = PICK(&r, demo_comments);
			ncomments++;
		}
		write_row(o, lay->order, &w);
	}
	rc = out_close(o);
	if (rc == 0)
		printf("whc-gen: wrote %s (%d responses)\n", o->path, n);
	free(o);
	return rc;
}

static int
mode_demo(const char *dir, uint64_t seed)
{
	size_t i;

	if (mkdirs(dir) != 0)
		return 1;
	for (i = 0; i < sizeof(demo_layouts) / sizeof(demo_layouts[0]); i++)
		if (demo_year(dir, seed, &demo_layouts[i]) != 0)
			return 1;
	return 0;
}

static int
write_def_file(const char *dir, const char *survey, int year)
{
	struct out *o = malloc(sizeof(*o));
	char name[64];
	int rc;

	if (!o) {
		fprintf(stderr, "whc-gen: out of memory\n");
		return -1;
	}
	if (year)
		snprintf(name, sizeof(name), "%s-%d.json", survey, year);
	else
		snprintf(name, sizeof(name), "teams-%s.json", survey);
	if (out_open(o, dir, name) != 0) {
		free(o);
		return -1;
	}
	if (year == 0)
		write_team_map(o);
	else if (year == FIRST_DEMO_YEAR)
		write_definition(o, survey, year);
	else
		write_delta(o, year);
	rc = out_close(o);
	if (rc == 0)
		printf("whc-gen: wrote %s\n", o->path);
	free(o);
	return rc;
}

static int
mode_defs(const char *dir)
{
	int y;

	if (mkdirs(dir) != 0)
		return 1;
	for (y = FIRST_DEMO_YEAR; y <= LAST_DEMO_YEAR; y++)
		if (write_def_file(dir, "whc", y) != 0)
			return 1;
	if (write_def_file(dir, "whc", 0) != 0)
		return 1;
	return 0;
}

/* Fast decimal for the hot loop of bench. */
static void
fmt_uint(char *dst, unsigned long v, int width)
{
	char tmp[24];
	int n = 0, i = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width && n < (int)sizeof(tmp))
		tmp[n++] = '0';
	while (n)
		dst[i++] = tmp[--n];
	dst[i] = '\0';
}

struct bench_team {
	char name[24];
	struct tparams tp;
	uint64_t cum;		/* cumulative weight */
};

static int
bench_pick(struct rng *r, const struct bench_team *bt, int nt)
{
	uint64_t u = rng_next(r) % bt[nt - 1].cum;
	int lo = 0, hi = nt - 1;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (u < bt[mid].cum)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int
bench_year(const char *dir, uint64_t seed, int year, unsigned long n,
    const struct bench_team *bt, int nt)
{
	struct out *o = malloc(sizeof(*o));
	char name[64];
	const int *order = year >= REWORD_YEAR ? order_b : order_a;
	unsigned long i;
	struct rng r;
	int rc;

	if (!o) {
		fprintf(stderr, "whc-gen: out of memory\n");
		return -1;
	}
	snprintf(name, sizeof(name), "bench-%d.json", year);
	if (out_open(o, dir, name) != 0) {
		free(o);
		return -1;
	}
	write_definition(o, "bench", year);
	if (out_close(o) != 0) {
		free(o);
		return -1;
	}

	snprintf(name, sizeof(name), "bench-%d.csv", year);
	if (out_open(o, dir, name) != 0) {
		free(o);
		return -1;
	}
	rng_seed(&r, seed, UINT64_C(0x100000000) + (uint64_t)year);
	write_header(o, order, year, 0);
	for (i = 0; i < n; i++) {
		const struct bench_team *t = &bt[bench_pick(&r, bt, nt)];
		struct row w;
		int64_t when;

		w.id[0] = 'B';
		fmt_uint(w.id + 1, (unsigned long)year, 4);
		w.id[5] = '-';
		fmt_uint(w.id + 6, i + 1, 7);
		when = survey_time(&r, year, i, n);
		fmt_time(w.modified, sizeof(w.modified), when);
		w.start[0] = '\0';
		w.team = t->name;
		gen_row(&r, &t->tp, year, -1, &w);
		if (rng_ppm(&r, 100000))
			w.comments = PICK(&r, bench_comments);
		write_row(o, order, &w);
	}
	rc = out_close(o);
	if (rc == 0)
		printf("whc-gen: wrote %s (%lu responses)\n", o->path, n);
	free(o);
	return rc;
}

static int
mode_bench(const char *dir, uint64_t seed, unsigned long n, int y1, int y2,
    int nt)
{
	struct bench_team *bt;
	unsigned long per, extra;
	int i, width = nt >= 1000 ? (nt >= 10000 ? 5 : 4) : 3;
	uint64_t cum = 0;
	int y, rc = 0;

	if (mkdirs(dir) != 0)
		return 1;
	bt = calloc((size_t)nt, sizeof(*bt));
	if (!bt) {
		fprintf(stderr, "whc-gen: out of memory\n");
		return 1;
	}
	for (i = 0; i < nt; i++) {
		uint64_t h = UINT64_C(0x5eed) + (uint64_t)i;
		uint64_t a = splitmix64(&h), b = splitmix64(&h);

		memcpy(bt[i].name, "Team ", 5);
		fmt_uint(bt[i].name + 5, (unsigned long)i + 1, width);
		bt[i].tp.stress_off = (int)(a % 160001) - 80000;
		bt[i].tp.stress_trend = (int)((a >> 24) % 12001) - 6000;
		bt[i].tp.case_adj = (int)(b % 9) - 4;
		bt[i].tp.mix = (int)((b >> 16) % MIX_IRO);	/* not IRO */
		cum += 300 + (b >> 32) % 1700;
		bt[i].cum = cum;
	}
	per = n / (unsigned long)(y2 - y1 + 1);
	extra = n % (unsigned long)(y2 - y1 + 1);
	for (y = y1; y <= y2 && rc == 0; y++)
		rc = bench_year(dir, seed, y, per +
		    ((unsigned long)(y - y1) < extra ? 1 : 0), bt, nt);
	free(bt);
	return rc ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* Command line */

static void
usage(FILE *fp)
{
	fputs(
"usage: whc-gen demo  --out DIR [--seed N]\n"
"       whc-gen bench --out DIR [--responses N] [--years Y1-Y2]\n"
"                     [--teams T] [--seed N]\n"
"       whc-gen defs  --out DIR\n"
"       whc-gen --help\n"
"\n"
"Writes deterministic survey data for whc: the same arguments give\n"
"byte-identical files on every machine.\n"
"\n"
"  demo   DIR/whc-2019.csv .. DIR/whc-2025.csv: a council's children's\n"
"         social care Workforce Health Check, 150-400 responses a year,\n"
"         matching questionnaires/defs/whc-YYYY.json.  Deliberately messy:\n"
"         a renamed team, a team too small to publish, blanks, misspelt\n"
"         and padded answers, odd team spellings, non-numeric and out of\n"
"         range numbers, free text with commas, quotes and newlines.\n"
"         2020 uses ';' and CRLF, 2021 a UTF-8 BOM and CRLF (Excel),\n"
"         2024 quotes every field.\n"
"  bench  DIR/bench-YYYY.csv and DIR/bench-YYYY.json per year: N responses\n"
"         in total spread evenly over the years, over T teams, streamed.\n"
"         Defaults: --responses 1000000 --years 2016-2025 --teams 60.\n"
"  defs   DIR/whc-2019.json .. DIR/whc-2025.json: the demo questionnaire\n"
"         definitions (questionnaires/defs/ holds this output).\n"
"\n"
"  --seed N   seed of the generator (default 20191001)\n"
"\n"
"Files are written as NAME.tmp and renamed when complete.  Exit status:\n"
"0 success, 1 an I/O error, 2 a usage error.\n", fp);
}

static int
parse_ulong(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || *end || *v > max)
		return -1;
	return 0;
}

static int
parse_years(const char *s, int *y1, int *y2)
{
	unsigned long long a, b;
	char tmp[32];
	const char *dash;
	size_t n;

	dash = strchr(s, '-');
	if (!dash) {
		if (parse_ulong(s, 9999, &a) != 0)
			return -1;
		b = a;
	} else {
		n = (size_t)(dash - s);
		if (n == 0 || n >= sizeof(tmp))
			return -1;
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		if (parse_ulong(tmp, 9999, &a) != 0 ||
		    parse_ulong(dash + 1, 9999, &b) != 0)
			return -1;
	}
	if (a < 1000 || b < a || b - a > 200)
		return -1;
	*y1 = (int)a;
	*y2 = (int)b;
	return 0;
}

/* Returns the value of option name at argv[*i] ("--x V" or "--x=V"). */
static const char *
opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		fprintf(stderr, "whc-gen: %s needs a value\n", name);
		return "";
	}
	return argv[++*i];
}

int
main(int argc, char **argv)
{
	const char *mode, *dir = NULL, *v;
	unsigned long long seed = DEFAULT_SEED, n = 1000000, teams = 60, x;
	int y1 = 2016, y2 = 2025;
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
		}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	mode = argv[1];
	if (strcmp(mode, "demo") != 0 && strcmp(mode, "bench") != 0 &&
	    strcmp(mode, "defs") != 0) {
		fprintf(stderr, "whc-gen: unknown mode '%s' (try --help)\n",
		    mode);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		int bench = strcmp(mode, "bench") == 0;

		if ((v = opt_value(argc, argv, &i, "--out"))) {
			dir = v;
		} else if ((v = opt_value(argc, argv, &i, "--seed"))) {
			if (parse_ulong(v, UINT64_MAX, &seed) != 0) {
				fprintf(stderr, "whc-gen: bad --seed '%s'\n",
				    v);
				return 2;
			}
		} else if (bench &&
		    (v = opt_value(argc, argv, &i, "--responses"))) {
			if (parse_ulong(v, 4000000000ULL, &n) != 0) {
				fprintf(stderr, "whc-gen: bad --responses "
				    "'%s'\n", v);
				return 2;
			}
		} else if (bench &&
		    (v = opt_value(argc, argv, &i, "--years"))) {
			if (parse_years(v, &y1, &y2) != 0) {
				fprintf(stderr, "whc-gen: bad --years '%s' "
				    "(want Y1-Y2)\n", v);
				return 2;
			}
		} else if (bench &&
		    (v = opt_value(argc, argv, &i, "--teams"))) {
			if (parse_ulong(v, 99999, &x) != 0 || x == 0) {
				fprintf(stderr, "whc-gen: bad --teams '%s' "
				    "(1-99999)\n", v);
				return 2;
			}
			teams = x;
		} else {
			fprintf(stderr, "whc-gen: unknown option '%s' for "
			    "%s (try --help)\n", argv[i], mode);
			return 2;
		}
	}
	if (!dir || !*dir) {
		fprintf(stderr, "whc-gen: %s needs --out DIR\n", mode);
		return 2;
	}
	if (strcmp(mode, "demo") == 0)
		i = mode_demo(dir, (uint64_t)seed);
	else if (strcmp(mode, "defs") == 0)
		i = mode_defs(dir);
	else
		i = mode_bench(dir, (uint64_t)seed, (unsigned long)n, y1, y2,
		    (int)teams);
	if (fflush(stdout) != 0 || ferror(stdout))
		return 1;
	return i;
}
