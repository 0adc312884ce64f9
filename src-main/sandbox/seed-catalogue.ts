/**
 * The word lists the seed generator draws from. Everything here is invented and obviously fake:
 * patients are all called "Testpatient", sites and clinics are made up, and no list holds anything
 * that could be mistaken for a real person's details.
 */
export const APPOINTMENT_STATUSES = [
  'NOT ARRIVED',
  'ARRIVED',
  'DID NOT ATTEND',
  'APPPOINTMENT CANCELLED', // three P's, as QUBS spells it
  'CANCELLATION LIST',
  'DICTATION INPROGRESS',
  'DICTATED',
  'TYPED',
  'AUTHORISING',
  'AUTHORISED',
  'TYPING INPROGRESS',
  'PENDING REPORTING',
  'STUDY INPROGRESS',
  'SECOND REVIEW',
  'FINALISED',
  'REVIEW TYPED',
  'PEER REVIEW',
  'SECOND OPINION',
] as const

export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number]

export const PENDING_REPORTING: AppointmentStatus = 'PENDING REPORTING'

export const SITES = [
  { siteName: 'Sydney Harbour Clinic', timeZone: 'Australia/Sydney', state: 'NSW', country: 'AU' },
  { siteName: 'Perth Riverside Clinic', timeZone: 'Australia/Perth', state: 'WA', country: 'AU' },
  { siteName: 'Auckland Waterfront Clinic', timeZone: 'Pacific/Auckland', state: 'AUK', country: 'NZ' },
  { siteName: 'Brisbane Northside Clinic', timeZone: 'Australia/Brisbane', state: 'QLD', country: 'AU' },
  { siteName: 'Adelaide Parkside Clinic', timeZone: 'Australia/Adelaide', state: 'SA', country: 'AU' },
  { siteName: 'Darwin Top End Clinic', timeZone: 'Australia/Darwin', state: 'NT', country: 'AU' },
] as const

export interface ExamTemplate {
  readonly key: string
  readonly modality: string
  readonly description: string
  readonly category: string
  readonly minutes: number
}

export const EXAMS: readonly ExamTemplate[] = [
  { key: 'CTBRAIN', modality: 'CT', description: 'CT Brain', category: 'CT', minutes: 15 },
  { key: 'CTCHEST', modality: 'CT', description: 'CT Chest', category: 'CT', minutes: 20 },
  { key: 'CTAP', modality: 'CT', description: 'CT Abdomen Pelvis', category: 'CT', minutes: 30 },
  { key: 'CTCSP', modality: 'CT', description: 'CT Cervical Spine', category: 'CT', minutes: 15 },
  { key: 'CTPA', modality: 'CT', description: 'CT Pulmonary Angiogram', category: 'CT', minutes: 30 },
  { key: 'MRBRAIN', modality: 'MR', description: 'MRI Brain', category: 'MRI', minutes: 45 },
  { key: 'MRLSP', modality: 'MR', description: 'MRI Lumbar Spine', category: 'MRI', minutes: 40 },
  { key: 'MRKNEE', modality: 'MR', description: 'MRI Knee', category: 'MRI', minutes: 30 },
  { key: 'MRSHLD', modality: 'MR', description: 'MRI Shoulder', category: 'MRI', minutes: 30 },
  { key: 'USABDO', modality: 'US', description: 'US Abdomen', category: 'Ultrasound', minutes: 30 },
  { key: 'USPELV', modality: 'US', description: 'US Pelvis', category: 'Ultrasound', minutes: 30 },
  { key: 'USTHY', modality: 'US', description: 'US Thyroid', category: 'Ultrasound', minutes: 20 },
  { key: 'USDVT', modality: 'US', description: 'US Lower Limb Veins', category: 'Ultrasound', minutes: 30 },
  { key: 'XRCHEST', modality: 'DX', description: 'XR Chest', category: 'X-Ray', minutes: 10 },
  { key: 'XRWRIST', modality: 'DX', description: 'XR Wrist', category: 'X-Ray', minutes: 10 },
  { key: 'XRKNEE', modality: 'DX', description: 'XR Knee', category: 'X-Ray', minutes: 10 },
  { key: 'XRLSP', modality: 'DX', description: 'XR Lumbar Spine', category: 'X-Ray', minutes: 15 },
  { key: 'MGBIL', modality: 'MG', description: 'Mammogram Bilateral', category: 'Mammography', minutes: 20 },
  { key: 'NMBONE', modality: 'NM', description: 'NM Whole Body Bone Scan', category: 'Nuclear', minutes: 60 },
]

export const CLINICAL_INFO = [
  'Shortness of breath',
  'Fall, ?fracture',
  'Headache, ?intracranial pathology',
  'Abdominal pain right iliac fossa',
  'Follow-up of known nodule',
  'Back pain with radiculopathy',
  'Twisting injury, pain and swelling',
  'Screening',
  'Palpable lump',
  'Leg swelling, ?DVT',
  'Pleuritic chest pain, ?PE',
  'Post-operative review',
] as const

/** Priority strings as stored in QUBS, with their weights and reporting turnaround. */
export const PRIORITIES = [
  { priority: 'Routine', weight: 65, turnaroundHours: 48 },
  { priority: 'Semi-urgent', weight: 15, turnaroundHours: 24 },
  { priority: 'Urgent', weight: 15, turnaroundHours: 6 },
  { priority: 'STAT', weight: 5, turnaroundHours: 2 },
] as const

export const GREEK = [
  'Alpha',
  'Beta',
  'Gamma',
  'Delta',
  'Epsilon',
  'Zeta',
  'Eta',
  'Theta',
  'Iota',
  'Kappa',
  'Lambda',
  'Mu',
  'Nu',
  'Xi',
  'Omicron',
  'Pi',
  'Rho',
  'Sigma',
  'Tau',
  'Upsilon',
  'Phi',
  'Chi',
  'Psi',
  'Omega',
] as const

export interface UserRef {
  readonly username: string
  readonly firstName: string
  readonly initials: string
  readonly lastName: string
  readonly role: string
}

const user = (username: string, firstName: string, lastName: string, role: string): UserRef => ({
  username,
  firstName,
  initials: `${firstName[0] ?? ''}${lastName[0] ?? ''}`,
  lastName,
  role,
})

export const STAFF: readonly UserRef[] = [
  user('sched.test01', 'Scheduler', 'Test-01', 'Scheduler'),
  user('sched.test02', 'Scheduler', 'Test-02', 'Scheduler'),
  user('recept.test01', 'Reception', 'Test-01', 'Reception'),
  user('typist.test01', 'Typist', 'Test-01', 'Typist'),
]

export const RADIOLOGISTS: readonly UserRef[] = [1, 2, 3, 4, 5].map((n) =>
  user(`rad.test0${n}`, 'Radiologist', `Sandbox-0${n}`, 'Radiologist'),
)

export const APPOINTMENT_COMMENTS = [
  'Patient requires wheelchair access.',
  'Prior imaging available on request.',
  'Interpreter required.',
  'Please compare with previous study.',
  'Claustrophobic, sedation given.',
  'Phone urgent findings to the referrer.',
] as const

export const PATIENT_COMMENTS = [
  'Contrast allergy recorded.',
  'Pacemaker: MRI conditional only.',
  'Prefers morning appointments.',
  'Hearing impaired, please face the patient.',
] as const

export const ATTACHMENT_KINDS = [
  { category: 'Referral', fileName: 'referral.pdf' },
  { category: 'Worksheet', fileName: 'worksheet.pdf' },
  { category: 'Consent', fileName: 'consent-form.pdf' },
  { category: 'Prior Report', fileName: 'prior-report.pdf' },
] as const
