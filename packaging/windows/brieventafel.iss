; Inno Setup script for Brieventafel on Windows (issue 14).
;
; Installs the PyInstaller folder that `python packaging\build.py` makes in
; dist\brieventafel\ for the current user only: no administrator needed, into
; %LOCALAPPDATA%\Programs\Brieventafel. Two Start-menu entries: Brieventafel and
; Brieventafel bibliotheek (the guided mode, --guided). Uninstall removes the
; program and the entries, and leaves the person's letters alone (they live in
; the user data folder, %LOCALAPPDATA%\Brieventafel, not in the program folder).
;
; Build (Inno Setup 6, as .github/workflows/package.yml does):
;   iscc packaging\windows\brieventafel.iss
; The installer is written to dist\installer\. Not built or tried here (Linux);
; the workflow builds it on windows-latest.

#define AppName "Brieventafel"
#define AppVersion "0.1.0"        ; pyproject.toml [project] version
#define AppId "{{526B3ACE-0181-47E8-8706-A344348455BF}"
#define Bundle "..\..\dist\brieventafel"

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Brieventafel
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=yes
; per user, never administrator: {autopf} is then the user's own Programs folder
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=Brieventafel-{#AppVersion}-setup
SetupIconFile=..\icons\brieventafel.ico
UninstallDisplayIcon={app}\brieventafel.exe
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; the app asks to close a running Brieventafel before files are replaced
CloseApplications=yes
ShowLanguageDialog=auto

[Languages]
Name: "nl"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
nl.GuidedName=Brieventafel bibliotheek
en.GuidedName=Brieventafel library
nl.GuidedComment=Help een bezoeker stap voor stap. Na afloop wordt alles gewist.
en.GuidedComment=Help a visitor step by step. Afterwards everything is erased.
nl.AppComment=Uw overheidspost rustig op tafel
en.AppComment=Your government mail, calmly on the table
nl.DesktopIcon=Een snelkoppeling op het bureaublad
en.DesktopIcon=A shortcut on the desktop

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[Files]
; the whole one-folder bundle: brieventafel.exe, brieventafel-cli.exe, _internal\
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\brieventafel.exe"; Comment: "{cm:AppComment}"
Name: "{group}\{cm:GuidedName}"; Filename: "{app}\brieventafel.exe"; Parameters: "--guided"; Comment: "{cm:GuidedComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\brieventafel.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\brieventafel.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only what the program itself leaves in its own folder (Python's caches); never
; the user data folder with the person's letters
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
