"""Word lists the recognisers read: cue phrases that give a following number its meaning,
and the medical vocabulary of calls (conditions, procedures, dose units).

Cues are matched on lower-case words with punctuation stripped, longest first. The lists
are written for call-centre and clinic speech in general, never for one test transcript.
"""

from __future__ import annotations

# Entity type -> phrases that announce a value of that type ("what's the security code?").
CUES: dict[str, tuple[str, ...]] = {
    "CREDIT_CARD": ("card number", "credit card", "debit card", "card", "visa", "mastercard", "master card",
                    "amex", "american express", "discover card", "ending in", "ends in", "long number on the front",
                    "card ending", "card ending in", "card that ends in"),
    "CARD_CVV": ("security code", "cvv", "cvc", "cvv2", "card code", "verification code", "three digit code",
                 "numbers on the back", "number on the back", "code on the back", "four digit code",
                 "digits on the back", "code on the front", "security number"),
    "CARD_EXPIRY": ("expiration", "expiration date", "expiry", "expiry date", "expires", "expiring", "exp date",
                    "valid thru", "valid through", "good thru", "good through"),
    "CARD_PIN": ("pin", "pin number", "pin code", "passcode"),
    "US_SSN": ("social", "social security", "social security number", "ssn", "tax id", "s s n"),
    "DATE_OF_BIRTH": ("date of birth", "birth date", "birthdate", "birthday", "born", "dob", "d o b", "dates of birth",
                      "birth dates", "birthdays"),
    "PHONE_NUMBER": ("phone", "phone number", "callback number", "call back number", "cell", "cell phone",
                     "cell number", "mobile", "mobile number", "number to reach", "reach you at", "telephone",
                     "home number", "work number", "contact number", "best number", "my number", "new number",
                     "his number", "her number", "your number"),
    "ABA_ROUTING_NUMBER": ("routing", "routing number", "aba", "transit number"),
    "US_BANK_NUMBER": ("account ending in", "account ending", "account that ends in", "account number", "checking account", "savings account", "bank account", "acct",
                       "checking", "savings", "account"),
    # Loan and escrow numbers carry letters ("ES317772"), which bank account numbers do not.
    "LOAN_NUMBER": ("loan number", "loan account", "loan account number", "escrow account", "escrow number",
                    "escrow account number", "mortgage number", "mortgage account", "mortgage account number"),
    "HEALTH_PLAN_ID": ("member id", "member number", "member i d", "subscriber id", "subscriber number",
                       "policy number", "insurance id", "group number", "group id", "group", "plan id",
                       "medicaid number", "medicare number", "medicaid id", "medicare id", "medicaid", "medicare", "id number", "member", "insurance card",
                       "numbers under your name", "number under your name", "id card", "member card",
                       "subscriber"),
    "CLAIM_NUMBER": ("claim number", "claim id", "claim", "reference number for the claim"),
    "MEDICAL_RECORD_NUMBER": ("medical record number", "medical record", "mrn", "chart number", "patient id",
                              "patient account number", "patient account", "hospital account number",
                              "account number on the statement", "patient i d", "visit number", "encounter number",
                              "patient number", "record number", "account number for the patient",
                              "hospital number", "case number"),
    "PRESCRIPTION_NUMBER": ("prescription number", "rx number", "rx", "refill number", "script number",
                            "prescription"),
    "US_DRIVER_LICENSE": ("driver's license", "drivers license", "driver license", "driver's licence",
                          "license number", "licence number", "license", "licence", "dl number"),
    "US_PASSPORT": ("passport", "passport number"),
    "ZIP_CODE": ("zip", "zip code", "postal code", "zipcode", "post code"),
    "IBAN_CODE": ("iban", "i b a n"),
    "HEALTH_DATE": ("date of death", "passed away", "passed on", "he died", "she died", "my due date", "baby is due", "baby's due date", "last period", "last menstrual period",
                    "date of service", "dates of service", "service date", "admission date", "discharge date",
                    "date of surgery", "surgery date", "date of the surgery", "appointment date"),
    "PERSON": ("spell", "spelled", "spelling", "last name", "first name", "surname", "full name",
               "patient's name", "your name", "his name", "her name"),
}

# Words that make a date just after them something else: a payment, a deadline, an install, a trip.
OTHER_DATE_CUES = frozenset("""deadline due posted charged payment payments paid install installation technician
movers moving move flight flights fly flying departure depart return trip travel shipped delivery""".split())
# Words that make a nearby date a health date (appointment, admission, service).
HEALTH_DATE_CUES = frozenset("""
appointment appointments admitted admission admit discharged discharge surgery surgeries operation operated
procedure follow-up followup follow visit visits seen checkup check-up physical scan mri x-ray xray
service scheduled schedule available availability opening openings video telehealth virtual provider
nurse see booked reschedule rescheduled booked book slot slots doctor dr hospital er clinic
refill refills filled vaccine shot infusion therapy session treatment test labs lab biopsy delivered birth
injury injured fell accident symptoms started diagnosed surgeon study
hospitalized hospitalised hospitalization inpatient icu ward ambulance emergency pregnant pregnancy lmp
died death passed hospice dose doses draw drawn hurt
""".split())
# Words that make a call one about prescriptions, where a code after a drug's name is its Rx number.
PRESCRIPTION_CONTEXT = frozenset("prescription prescriptions rx refill refills refilling pharmacy bottle bottles label".split())
# Words that fix or finish a number just said: "the end is one six", "it ends four two", "and then zero two".
FIXING_WORDS = frozenset("end ends ending not sorry actually mean wait then last rest".split())
CORRECTION_WORDS = frozenset("no sorry wait i mean actually oops um uh it's its make that".split())

# Values that a number next to them is not an identifier of: amounts, times, counts.
NOT_AN_ID_AFTER = frozenset("""
dollars dollar bucks cents percent pm am a.m. p.m. o'clock oclock minutes minute hours hour days day weeks
week months month years year times refills refill pills tablets capsules milligrams mg mcg ml units unit
pounds lbs degrees business calendar
""".split())

ESTIMATE_WORDS = frozenset("about around approximately roughly nearly almost over under".split())  # amounts

DOSE_FORMS = frozenset("""inhaler tablet tablets pill pills capsule capsules cream ointment patch pen injection
syrup liquid drops spray gel concentrate solution suspension tab tabs drop flextouch flexpen kwikpen solostar
autoinjector auto-injector jr junior taper shot shots pens kwikpens flexpens""".split())
DOSE_ROUTES = ("under the tongue", "by mouth", "orally", "sublingually", "in each eye", "in the eye", "in the left eye",
               "in the right eye", "in both eyes", "left eye", "right eye", "both eyes", "in each ear", "in both ears")
DOSE_UNITS = frozenset("""
mg milligram milligrams mcg microgram micrograms g gram grams ml milliliter milliliters millilitre
millilitres unit units iu puffs puff tablet tablets pill pills capsule capsules drops percent % spray sprays
patch patches tab tabs drop liter liters litre litres lpm mls mil mils cc ccs
""".split())

# Conditions and diagnoses commonly named on calls (lower-case, as ASR writes them).
CONDITIONS = tuple("""
diabetes|type 1 diabetes|type 2 diabetes|type one diabetes|type two diabetes|prediabetes|gestational diabetes
hypertension|high blood pressure|low blood pressure|hypotension|high cholesterol|hyperlipidemia
asthma|copd|emphysema|bronchitis|pneumonia|covid|covid-19|flu|influenza|strep throat|sinusitis|sinus infection
heart failure|congestive heart failure|heart attack|myocardial infarction|atrial fibrillation|afib|a-fib
arrhythmia|angina|coronary artery disease|stroke|mini stroke|tia|blood clot|deep vein thrombosis|dvt
pulmonary embolism|aneurysm|anemia|sickle cell|hemophilia|leukemia|lymphoma|melanoma|cancer|breast cancer
prostate cancer|lung cancer|colon cancer|skin cancer|tumor|tumour|chemo
depression|anxiety|panic attacks|bipolar disorder|bipolar|schizophrenia|ptsd|adhd|ocd|autism|dementia
alzheimer's|alzheimers|parkinson's|parkinsons|epilepsy|seizures|seizure disorder|migraines|migraine
multiple sclerosis|lupus|rheumatoid arthritis|arthritis|osteoarthritis|osteoporosis|gout|fibromyalgia
kidney disease|chronic kidney disease|kidney stones|kidney stone|kidney failure|renal failure|liver disease
cirrhosis|hepatitis|hepatitis c|hepatitis b|hiv|aids|std|chlamydia|gonorrhea|herpes|syphilis
gallstones|gallbladder disease|appendicitis|ulcer|ulcers|acid reflux|gerd|reflux|ibs|crohn's|crohns
colitis|ulcerative colitis|celiac|celiac disease|diverticulitis|hernia|hemorrhoids|constipation|diarrhea
hypothyroidism|hyperthyroidism|thyroid disease|sleep apnea|insomnia|obesity|eczema|psoriasis|acne|shingles
uti|urinary tract infection|infection|ear infection|yeast infection|cellulitis|sepsis|mrsa
glaucoma|cataracts|cataract|macular degeneration|hearing loss|tinnitus|vertigo|concussion|whiplash
sciatica|chronic back pain|chronic pain|neuropathy|carpal tunnel|tendonitis|bursitis|plantar fasciitis
pregnancy|pregnant|miscarriage|endometriosis|pcos|menopause|infertility|food allergy|peanut allergy|penicillin allergy
anaphylaxis|addiction|alcoholism|substance use disorder|opioid use disorder
torn meniscus|torn acl|acl tear|rotator cuff tear|torn rotator cuff|herniated disc|slipped disc
hashimoto's|hashimotos|hashimoto's thyroiditis|graves disease|graves' disease|addison's disease|cushing's
bell's palsy|lyme disease|celiac sprue|sleep apnea|obstructive sleep apnea|central sleep apnea|heart murmur
abscess|tooth abscess|cavity|cavities|gum disease|gingivitis|periodontitis|impacted wisdom teeth|tmj
preeclampsia|eclampsia|placenta previa|stenosis|spinal stenosis|scoliosis|degenerative disc disease
fracture|stress fracture|hairline fracture|sprain|torn ligament|pinched nerve|bulging disc
generalized anxiety disorder|anxiety disorder|social anxiety disorder|gad|major depressive disorder|mdd
mono|mononucleosis|heart failure with reduced ejection fraction|heart failure with preserved ejection fraction
hfref|hfpef|grade 1 concussion|grade one concussion|grade 2 concussion|cervical strain|lumbar strain|neck strain
back strain|muscle strain|hamstring strain|spinal cord injury|latex allergy|shellfish allergy|nut allergy
bee sting allergy|egg allergy|a fib|a-fib|prediabetic|end stage renal disease|end-stage renal disease|esrd
diabetic foot ulcer|foot ulcer|tb|dka|diabetic ketoacidosis|post-traumatic stress disorder|post-traumatic stress
post traumatic stress|fatty liver|fatty liver disease|nafld|hemorrhage|post op bleed|post-op bleed|pressure injury
urinary infection|bladder infection|deaf|deafness|hearing loss|profound hearing loss|meningitis|pressure ulcer|bed sore|bedsore|metastases|metastasis|mets
hemiparesis|hemiplegia|left sided hemiparesis|right sided hemiparesis|left-sided hemiparesis|right-sided hemiparesis|type 2 diabetic|type two diabetic|type 1 diabetic|type one diabetic
frozen shoulder|distal radius fracture|radius fracture|strep|sprained ankle|ankle sprain|
crossbite|overbite|underbite|polyps|polyp|end stage kidney disease|end-stage kidney disease|end stage renal disease|
roseola|febrile seizure|febrile seizures|atopic dermatitis|impingement|shoulder impingement|partial thickness tear
polycystic ovary syndrome|polycystic ovaries|male factor infertility|male factor|low ovarian reserve|endometrial polyp|
cerebral palsy|hay fever|disc bulge|bowel stricture|stricture|bipolar two|bipolar 2|bipolar ii|bipolar one|bipolar 1|bipolar i
sugar diabetes|iron deficiency|iron deficiency anemia|pulmonary fibrosis|hearing loss in both ears|tree nut allergy|milk allergy|wheat allergy|soy allergy|sesame allergy|drug allergy|sulfa allergy|heart block|cardiomyopathy|dehydration|kidney injury|acute kidney injury|
diabetic|peripheral artery disease|peripheral arterial disease|pad|neuropathy|diabetic neuropathy|eating disorder|anorexia|bulimia|postpartum depression
""".replace("\n", "|").split("|"))

# Word endings of conditions and procedures not in the lists ("sinusitis", "septoplasty").
CONDITION_SUFFIXES = ("itis", "emia", "oma", "osis", "pathy")
PROCEDURE_SUFFIXES = ("ectomy", "otomy", "ostomy", "plasty", "oscopy", "ography", "tripsy", "opexy")
SUFFIX_EXCEPTIONS = frozenset("aroma coma diploma stoma diagnosis prognosis sympathy empathy apathy telepathy "
                              "photography geography biography pornography choreography".split())
CONDITION_MODIFIERS = frozenset("""
acute chronic severe mild moderate bacterial viral fungal allergic seasonal recurrent recurring bad early
late stage advanced mild-to-moderate borderline gestational juvenile spinal cervical lumbar renal pulmonary
cardiac coronary obstructive central congenital metastatic benign malignant pancreatic ovarian liver bladder
relapsing remitting relapsing-remitting progressive medullary papillary invasive ductal lobular
sensorineural conductive idiopathic peripheral post-op postoperative small atopic febrile distal proximal
uncontrolled
thyroid stomach gastric esophageal colorectal kidney brain bone blood breast prostate lung skin""".split())
PROCEDURE_MODIFIERS = frozenset("""laparoscopic arthroscopic robotic endoscopic emergency outpatient total partial
bilateral elective minimally invasive open double single radical modified triple quadruple micro small
large repeat follow-up followup""".split())
CONDITION_HEADS = frozenset("injury disease disorder syndrome infection".split())  # "whiplash injury"
DOSE_FREQUENCY = ("nightly", "twice a day", "once a day", "three times a day", "four times a day", "twice daily", "once daily",
                  "daily", "as needed", "at bedtime", "every morning", "every night", "every day", "a day",
                  "every four hours", "every six hours", "every eight hours", "every twelve hours", "weekly",
                  "once a week", "twice a week", "before bed", "at night", "in the morning",
                  "each nostril", "in each nostril", "every morning", "twice", "once", "three times",
                  "one time a day", "two times a day", "four times", "two times", "once a day at bedtime", "every two weeks", "every other week",
                  "every week", "every month", "monthly", "every three months", "every four weeks", "every eight weeks",
                  "every six months", "before breakfast", "before meals", "before dinner", "after meals", "at bedtime", "in the evening", "on a sliding scale", "sliding scale")
DOSE_TIMES = ("in the morning", "at night", "at bedtime", "in the evening", "before bed")  # after a frequency
# After a number that follows a drug name: the number is a count or a time, not its dose.
NOT_A_DOSE_AFTER = frozenset("""days day weeks week months month years year hours hour minutes times time ago
dollars bucks percent refills refill left more""".split())

# Injuries: a word of harm followed by a body part ("broken wrist", "fractured left hip").
INJURY_WORDS = frozenset("broken fractured sprained torn dislocated strained bruised injured cracked".split())
BODY_PARTS = frozenset("""
wrist wrists arm arms elbow shoulder shoulders hand hands finger fingers thumb hip hips knee knees leg legs ankle
ankles foot feet toe toes back neck spine rib ribs collarbone jaw nose skull pelvis tailbone heel acl meniscus
ligament tendon achilles hamstring rotator cuff disc
gallbladder appendix kidney kidneys liver lung lungs heart bladder colon prostate thyroid breast brain bowel
stomach cervix uterus ovary ovaries cataract eye eyes ear ears tonsils sinus sinuses cardiac abdominal chest
pelvic head lumbar abdomen belly tooth teeth molar molars gum gums spleen thoracic cervical duct bile renal carotid
hepatic
""".split())
BODY_SIDES = frozenset("left right lower upper both front".split())
POSSESSIVES = frozenset("my the his her your their our a".split())
# Organs taken out whole: "had my gallbladder out", "her tonsils removed".
REMOVABLE_ORGANS = frozenset("gallbladder appendix tonsils adenoids uterus ovary ovaries spleen thyroid kidney".split())

# Procedures, tests and scans; BODY_PARTS + PROCEDURE_NOUNS form more ("knee replacement").
PROCEDURES = tuple("""
mri|mri scan|ct scan|cat scan|ct|pet scan|x-ray|xray|x ray|ultrasound|sonogram|echocardiogram|echo|ekg|ecg
eeg|mammogram|colonoscopy|endoscopy|biopsy|bone density scan|bone density test|dexa scan|stress test
blood test|blood work|bloodwork|blood panel|lab work|labs|lipid panel|metabolic panel|cbc|a1c|hemoglobin a1c
urinalysis|urine test|tsh|t4|psa|inr|bmp|cmp|hba1c|thyroid panel|liver panel|pt inr|glucose test
pap smear|pap test|covid test|flu shot|vaccine|vaccination|booster|physical therapy
occupational therapy|chemotherapy|chemo|radiation|radiation therapy|dialysis|infusion|iv infusion
arthroscopy|knee arthroscopy|appendectomy|cholecystectomy|hysterectomy|mastectomy
lumpectomy|tonsillectomy|vasectomy|c-section|cesarean|angioplasty|bypass|bypass surgery|heart bypass
stent|pacemaker|catheterization|cardiac catheterization|open reduction|internal fixation
open reduction internal fixation|open reduction and internal fixation|orif|stitches|sutures|spinal fusion|fusion|epidural|injection
cortisone shot|cortisone injection|steroid injection|root canal|extraction|cataract surgery|lasik
hip replacement|knee replacement|joint replacement|skin graft|transplant|kidney transplant|liver transplant
sleep study|allergy test|hearing test|eye exam|physical exam|annual physical|wellness visit|screening
crown|crowns|porcelain crown|crown prep|filling|fillings|deep cleaning|scaling and root planing|dental implant
implant|dentures|bitewing x-rays|bitewings|periapical x-ray|panoramic x-ray|x-rays|xrays|wisdom teeth removal
injections|epidural injections|nerve block|lithotripsy|acl reconstruction|rotator cuff repair
cognitive behavioral therapy|cognitive behavioural therapy|cbt|dbt|dialectical behavior therapy|group therapy
family therapy|talk therapy|speech therapy|treadmill test|nuclear stress test|basic metabolic panel
comprehensive metabolic panel|cholesterol test|tubal ligation|tubal|urine culture|blood culture
throat culture|strep test|glucose tolerance test|pt|ercp|cochlear implant|dtap|polio vaccine|polio|overnight sleep study|titration study|port placement|cea|ct simulation
cauterization|t and a|tonsillectomy and adenoidectomy|ear tubes|mmr|tdap|varicella|varicela|quantiferon|skin test|tb test|ppd
chickenpox vaccine|shingles vaccine|heart cath|cardiac cath|cardiac rehab|rehab|av fistula|fistula|vein mapping|av graft|three-hour glucose tolerance test|one-hour glucose test|non-stress test|nst
growth ultrasound|anatomy scan|anatomy ultrasound|diabetes education|cesarean delivery|c-section delivery|counseling sessions|lap chole|lap band|c section|pee test
cardioversion|fingerstick glucose checks|fingerstick glucose|fingersticks|home dialysis|catheter surgery
catheter placement|dialysis catheter|hamstring graft|
braces|palate expander|palatal expander|expander|cephalometric x-ray|panoramic x-ray|hemodialysis|peritoneal dialysis
hepatitis b screen|hep b screen|patellar tendon graft|
egg retrieval|retrieval|embryo transfer|frozen embryo transfer|fet|icsi|ivf|iui|embryo freezing|egg freezing
trigger shot|tissue typing|hla typing|crossmatch|fasting blood work|fasting labs|fasting bloodwork|
ear wax removal|earwax removal|wax removal|intensive outpatient|intensive outpatient program|iop|partial hospitalization
psychiatric evaluation|psych evaluation|psychological evaluation|neuropsych testing|proton therapy|proton beam therapy|oral sedation
iv sedation|sedation|general anesthesia|nitrous|cbc with differential|iron panel|iron studies|breathing test|ferritin|
pulmonary function test|pulmonary function tests|pft|pfts|spirometry|skin prick test|skin prick testing|prick test|allergy testing|allergy tests|ige panel|ige test|ige blood test|egfr|oral food challenge|food challenge|coronary bypass|triple bypass|quadruple bypass|bypass graft|cabg|ekg strip|
free t4|chest x ray|chest x-ray|chest xray
wound care|dressing changes|dressing change|debridement|amputation
below the knee amputation|below-knee amputation|above the knee amputation|above-knee amputation|rapid strep test|sealants|sealant|fluoride|fluoride treatment|cleaning|cleanings|holter monitor|event monitor|sleep test|stress echo
""".replace("\n", "|").split("|"))
PROCEDURE_NOUNS = frozenset("""
surgery operation replacement mri scan x-ray xray ultrasound biopsy removal repair reconstruction transplant injection
arthroscopy exam screening test fusion injections surgeries resection
""".split())
# Drug-dictionary entries that name a kind of drug, not a drug ("an antibiotic", "local anesthetic").
NOT_MEDICATIONS = frozenset("""antibiotic antibiotics anesthetic anaesthetic anesthesia local painkiller painkillers
steroid steroids vitamin vitamins medicine medicines medication medications antihistamine antihistamines""".split()) | {"local anesthetic"}
EXTRA_MEDICATIONS = frozenset("sulfa oxy nph senna folfox folfiri 5-fu trelegy keflex santyl levo suprep aranesp nitro nitroglycerin z-pak zpak z-pack".split()) | {"prenatal vitamins", "prenatal vitamin", "prenatal",
                                                             "baby aspirin", "progesterone in oil", "gonal f"}  # said on calls, absent from the dictionary

STREET_SUFFIXES = frozenset("""
street st avenue ave road rd lane ln drive dr boulevard blvd court ct way place pl circle cir terrace
parkway pkwy highway hwy trail trl square sq loop row alley path pike crescent close plaza
""".split())
DIRECTIONS = frozenset("north south east west n s e w northeast northwest southeast southwest ne nw se sw".split())
ROUTE_WORDS = frozenset("highway hwy route rte interstate road".split())  # "2100 Highway 9", "2960 County Road 12"
ROUTE_KINDS = frozenset("county state farm ranch us".split())
FOREIGN_STREET_WORDS = frozenset("rua rue calle avenida avinguda carrer via viale strada praca largo".split())
ORDINAL_WORDS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth".split())
ZIP_WORDS = frozenset("zip postal post code zipcode postcode".split())
UNIT_WORDS = frozenset("apartment apt unit suite ste number no # building bldg floor fl".split())

US_STATES = frozenset("""
alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho
illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi
missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia
washington wisconsin wyoming
""".split()) | {"new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota",
                "rhode island", "south carolina", "south dakota", "west virginia"}
STATE_CODES = frozenset("""AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ
NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC""".split())  # written in capitals only
TOWN_PREFIXES = frozenset("saint st san santa fort port mount mt lake".split())  # "saint paul", "santa rosa"

# Words after which the next word is someone's name, in lower-case speech with no capitals.
NAME_TRIGGERS = (
    "account under", "under the name", "in the name of", "my name is", "name is", "name's", "name was", "names are", "calls me", "call me", "goes by", "go by", "this is", "it's", "speaking with", "speak with", "speak to",
    "talked to", "talked with", "spoke to", "spoke with", "ask for", "asked for", "thanks", "thank you",
    "doctor", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "nurse",
    "my husband", "my wife", "my son", "my daughter", "my mom", "my mother", "my dad", "my father",
    "my brother", "my sister", "my partner", "my friend", "my boyfriend", "my girlfriend", "my grandson",
    "my granddaughter", "my aunt", "my uncle", "my kid", "her husband", "his wife", "her son", "his son",
    "her daughter", "his daughter", "i'm", "im", "hi", "hello", "hey", "your son", "your daughter",
    "your husband", "your wife", "your mom", "your dad", "talk to",
    "son in law", "daughter in law", "mother in law", "father in law", "brother in law", "sister in law",
    "son-in-law", "daughter-in-law", "mother-in-law", "father-in-law", "brother-in-law", "sister-in-law",
    "my nephew", "my niece", "my cousin", "my grandmother", "my grandfather", "my grandma", "my grandpa",
    "full name", "your name", "first name", "last name", "therapist", "counselor", "counsellor", "caseworker",
    "case manager", "social worker", "my therapist", "just say", "people say", "everyone calls", "everybody calls",
    "calls him", "calls her", "call him", "call her",
)
# Of those, the ones a question ends with: the name may come at the start of the next turn.
NAME_QUESTIONS = ("full name", "your name", "first name", "last name")
# Words of billing, insurance and clinic calls that no dictionary lists and that are never names.
CALL_WORDS = frozenset("""copay copays co-pay coinsurance deductible deductibles prescriber prescribers cpap bipap
eob eobs hsa fsa hra preauth pre-auth preauthorization prior-auth telehealth autopay auto-pay voicemail email
emails login logins username password portal app apps paperless e-statement e-statements refill refills
in-network out-of-network formulary pharmacist pharmacists caregiver caregivers dob mrn npi rx ssn pin cvv
concentrator concentrators nebulizer nebuliser glucometer walker rollator hoyer commode
""".split())
# Insurers, pharmacies and health systems callers name; NER takes them for people.
ORGANISATION_ENDS = frozenset("""line office clinic center centre pharmacy department services hospital bank
insurance practice group inn suites hotel billing ambulance therapy""".split())  # the last word of a name a call opens with
ORGANISATION_HEADS = frozenset("""dental health medical pharmacy clinic hospital insurance bank mutual connect ob-gyn obgyn
pediatrics dentistry orthodontics cardiology dermatology orthopedics urgent""".split())
ORGANISATIONS = frozenset("""aetna cigna humana kaiser anthem medicare medicaid tricare unitedhealthcare
walgreens cvs rite-aid walmart costco kroger optum molina centene wellcare ambetter medica""".split()) | {
    "blue shield", "blue cross", "rite aid", "delta dental"}
RELATIONS = frozenset("""husband wife son daughter mom mother dad father brother sister partner friend boyfriend
girlfriend grandson granddaughter aunt uncle kid niece nephew cousin grandmother grandfather""".split())
NAME_PARTICLES = frozenset("de del della la van von da dos das di bin ibn al el le".split())  # "Ortiz de Colon"
HOLIDAYS = frozenset("valentine's valentines easter christmas thanksgiving hanukkah ramadan eid diwali passover halloween".split())
CARD_BRANDS = frozenset("visa mastercard amex discover maestro diners jcb".split())
TITLES = frozenset("dr dr. doctor mr mr. mrs mrs. ms ms. miss mx nurse sir madam maam ma'am mister missus".split())
FILLERS = frozenset("""mm-hmm mm-hm mhmm uh-uh mhm uh-huh hmm mm huh yep yup nope nah oh ah er erm gonna wanna gotta lemme gotcha
kinda sorta ya yeah okay alright""".split())
NAME_STOP = frozenset("""
a an the and or but so um uh yeah yes no okay ok sure hi hello hey thanks thank you please sorry well just
calling here there this that it is was be been am are i me my mine we us our you your he him his she her
they them their for from with to of on in at by about as again still also too very really actually
not never now then today tomorrow yesterday morning afternoon evening night speaking calling ready
right fine good great perfect correct wait hold one two three four five six seven eight nine ten
going trying looking doing getting having making asking wondering checking
note line congratulations email god
honey hon sweetie sweetheart dear darling buddy love
""".split())
